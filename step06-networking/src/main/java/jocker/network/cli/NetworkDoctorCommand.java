package jocker.network.cli;

import jocker.doctor.Check;
import jocker.network.Bridges;
import jocker.network.Firewall;
import jocker.storage.cli.StorageDoctorCommand;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "doctor", description = "Check this host for what jocker needs, and say how to fix what is missing.")
/** {@code doctor}: step 5's checks, then what networking needs: iptables, IPv4 forwarding, the host's MTU, leftovers. */
public class NetworkDoctorCommand extends StorageDoctorCommand {
    @Override
    protected List<Check> checks() {
        List<Check> checks = new ArrayList<>(super.checks());
        checks.add(() -> Files.isExecutable(Path.of("/usr/sbin/iptables")) || Files.isExecutable(Path.of("/sbin/iptables"))
                ? Check.Result.ok("iptables", "found (NAT, published ports and isolation go through it, as docker's)")
                : Check.Result.fail("iptables", "not found: bridge networks need it for NAT and -p",
                "apt-get install iptables (bin/install-deps does), or run with --network none|host"));
        checks.add(() -> {
            String forward;
            try {
                forward = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim();
            } catch (IOException e) {
                return Check.Result.warn("ip_forward", "unreadable: " + e.getMessage(), "check /proc/sys/net/ipv4/ip_forward");
            }
            return forward.equals("1")
                    ? Check.Result.ok("ip_forward", "on: the host routes packets between its links")
                    : Check.Result.info("ip_forward", "off; the first run on a bridge turns it on, as docker does"
                    + " (containers reach nothing past the bridge without it)");
        });
        checks.add(() -> Check.Result.info("network MTU", Bridges.hostMtu() + " (the default route's link: veths and bridges get it)"));
        checks.add(() -> {
            List<String> left = Bridges.linkNames().stream().filter(l -> l.startsWith("vj") || l.startsWith("vp")).toList();
            return left.isEmpty() ? Check.Result.ok("network leftovers", "no veth of jocker's on the host")
                    : Check.Result.warn("network leftovers", "veths " + left, "bin/step06 cleanup");
        });
        return checks;
    }
}
