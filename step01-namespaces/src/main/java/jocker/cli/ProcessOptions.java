package jocker.cli;

import jocker.rootfs.UserResolver;
import jocker.seccomp.Profile;
import jocker.spec.SpecException;
import jocker.spec.SpecBuilder;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    @Option(names = {"-t", "--tty"}, description = "Give the process a terminal of its own (TERM=xterm unless -e sets it).")
    boolean tty;

    @Option(names = {"-i", "--interactive"},
            description = "Keep stdin open: a foreground run always passes jocker's stdin on (docker's -i).")
    boolean interactive;

    @Option(names = "--security-opt", paramLabel = "OPT",
            description = "seccomp=unconfined, seccomp=PROFILE.json (default: docker's profile), no-new-privileges.")
    List<String> securityOpts = new ArrayList<>();

    /** -h as given, or null (the default is the short id; step 6 needs to know which). */
    public String hostname() {
        return hostname;
    }

    public boolean isEmpty() {
        return hostname == null && env.isEmpty() && workdir == null && user == null && !readOnly
                && securityOpts.isEmpty() && !tty && !interactive;
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
        spec.terminal(tty);
        applySecurityOpts(spec);
        return spec;
    }

    // tag::security-opt[]
    /** docker's --security-opt: seccomp=unconfined|FILE (docker's default profile without it), no-new-privileges. */
    private void applySecurityOpts(SpecBuilder spec) {
        Map<String, Object> seccomp = null;
        boolean unconfined = false;
        for (String opt : securityOpts) {
            String[] kv = opt.split("[=:]", 2);
            switch (kv[0]) {
                case "seccomp" -> {
                    if (kv.length < 2 || kv[1].isEmpty()) {
                        throw new SpecException("--security-opt " + opt + ": seccomp needs =unconfined or =PROFILE.json");
                    }
                    if (kv[1].equals("unconfined")) {
                        unconfined = true;
                    } else {
                        try (InputStream in = Files.newInputStream(Path.of(kv[1]))) {
                            seccomp = Profile.read(in, kv[1]);
                        } catch (IOException e) {
                            throw new SpecException("--security-opt " + opt + ": cannot read " + kv[1] + ": " + e.getMessage());
                        }
                    }
                }
                case "no-new-privileges" -> spec.noNewPrivileges(kv.length < 2 || Boolean.parseBoolean(kv[1]));
                default -> throw new SpecException("--security-opt " + opt
                        + ": jocker knows seccomp=... and no-new-privileges (no AppArmor or SELinux labels)");
            }
        }
        spec.seccomp(unconfined ? null : seccomp != null ? seccomp : Profile.dockerDefault());
    }
    // end::security-opt[]

    private List<String> environment() {
        List<String> result = new ArrayList<>();
        if (tty && env.stream().noneMatch(e -> e.equals("TERM") || e.startsWith("TERM="))) {
            result.add("TERM=xterm"); // as docker sets it for -t; -e TERM=... wins
        }
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
