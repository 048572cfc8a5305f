package jocker.cli;

import jocker.rootfs.UserResolver;
import jocker.spec.SpecBuilder;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** docker run's flags for the container's process, shared by every step's run. */
public class ProcessOptions {
    @Option(names = {"-h", "--hostname"}, paramLabel = "NAME", description = "Container host name (default: the short id).")
    String hostname;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE",
            description = "Set an environment variable; KEY alone passes the host's value.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the container.")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]",
            description = "User (name or uid) and group, looked up in the rootfs's /etc/passwd and /etc/group.")
    String user;

    @Option(names = "--read-only", description = "Mount the container's root filesystem read-only.")
    boolean readOnly;

    public boolean isEmpty() {
        return hostname == null && env.isEmpty() && workdir == null && user == null && !readOnly;
    }

    /** Puts the flags on a spec being built; the user is resolved against the rootfs's files. */
    public SpecBuilder applyTo(SpecBuilder spec, Path rootfs, String defaultHostname) {
        return applyTo(spec, rootfs, defaultHostname, "0");
    }

    /** The same, with the user to run as when -u is not given (an image's USER). */
    public SpecBuilder applyTo(SpecBuilder spec, Path rootfs, String defaultHostname, String defaultUser) {
        spec.hostname(hostname != null ? hostname : defaultHostname);
        spec.env(environment());
        if (workdir != null) {
            spec.cwd(workdir);
        }
        UserResolver.ResolvedUser resolved = UserResolver.resolve(rootfs, user == null ? defaultUser : user);
        spec.user(resolved.user()).defaultHome(resolved.home());
        spec.readonlyRoot(readOnly);
        return spec;
    }

    private List<String> environment() {
        List<String> result = new ArrayList<>();
        for (String e : env) {
            if (e.contains("=")) {
                result.add(e);
            } else if (System.getenv(e) != null) {
                result.add(e + "=" + System.getenv(e));
            }
        }
        return result;
    }
}
