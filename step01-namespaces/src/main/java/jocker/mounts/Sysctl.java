package jocker.mounts;

import jocker.sys.JockerException;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sets linux.sysctl's kernel parameters from inside the container: each is
 * a file under /proc/sys (net.ipv4.ip_forward is /proc/sys/net/ipv4/ip_forward),
 * and the container's own /proc shows the container's namespaces' values.
 * The host checked that each is private to a namespace (see SpecConverter).
 */
final class Sysctl {
    private Sysctl() {}

    static void apply(List<String> settings) {
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            String file = "/proc/sys/" + setting.substring(0, eq).replace('.', '/');
            try (FileOutputStream out = new FileOutputStream(file)) {
                out.write(setting.substring(eq + 1).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new JockerException("sysctl " + setting + ": cannot write " + file + ": " + e.getMessage());
            }
        }
    }
}
