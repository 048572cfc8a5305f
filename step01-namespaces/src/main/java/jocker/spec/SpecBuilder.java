package jocker.spec;

import jocker.capabilities.Capability;
import jocker.process.Exec;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the spec a {@code docker run} would give: docker's default mounts,
 * namespaces, capabilities, masked and read-only paths, with the flags'
 * values on top. The values are those of moby's oci/defaults.go.
 */
public final class SpecBuilder {
    public static final String DEFAULT_PATH = "PATH=" + Exec.DEFAULT_PATH;

    private final String rootfs;
    private final List<String> args;
    private String hostname;
    private final Map<String, String> env = new LinkedHashMap<>();
    private String cwd = "/";
    private Spec.User user = new Spec.User(0, 0, null, List.of());
    private boolean readonlyRoot;
    private boolean terminal;
    private Map<String, Object> seccomp;
    private boolean noNewPrivileges;

    private SpecBuilder(String rootfs, List<String> args) {
        this.rootfs = rootfs;
        this.args = List.copyOf(args);
        putEnv(DEFAULT_PATH);
    }

    public static SpecBuilder docker(String rootfs, List<String> args) {
        if (args.isEmpty()) {
            throw new SpecException("no command given");
        }
        return new SpecBuilder(rootfs, args);
    }

    public SpecBuilder hostname(String hostname) {
        this.hostname = hostname;
        return this;
    }

    /** KEY=VALUE sets, later ones win, as with docker's -e. */
    public SpecBuilder env(List<String> entries) {
        for (String e : entries) {
            putEnv(e);
        }
        return this;
    }

    private void putEnv(String entry) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            throw new SpecException("invalid environment variable \"" + entry + "\" (want KEY=VALUE)");
        }
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }

    public SpecBuilder cwd(String cwd) {
        if (!cwd.startsWith("/")) {
            throw new SpecException("the working directory \"" + cwd + "\" is invalid, it needs to be an absolute path");
        }
        this.cwd = cwd;
        return this;
    }

    public SpecBuilder user(Spec.User user) {
        this.user = user;
        return this;
    }

    /** Sets HOME unless -e set it (runc sets it from /etc/passwd). */
    public SpecBuilder defaultHome(String home) {
        env.putIfAbsent("HOME", home);
        return this;
    }

    public SpecBuilder readonlyRoot(boolean readonly) {
        this.readonlyRoot = readonly;
        return this;
    }

    public SpecBuilder terminal(boolean terminal) {
        this.terminal = terminal;
        return this;
    }

    /** A seccomp profile for linux.seccomp (JSON-like maps, see jocker.seccomp.Profile); null for none. */
    public SpecBuilder seccomp(Map<String, Object> profile) {
        this.seccomp = profile;
        return this;
    }

    public SpecBuilder noNewPrivileges(boolean noNewPrivileges) {
        this.noNewPrivileges = noNewPrivileges;
        return this;
    }

    private final Set<Capability> dropped = EnumSet.noneOf(Capability.class);

    /** Leaves a capability of docker's default set out of every set. */
    public SpecBuilder drop(Capability capability) {
        dropped.add(capability);
        return this;
    }

    public Spec build() {
        // docker's order: PATH, HOSTNAME, then the rest
        List<String> envList = new ArrayList<>();
        envList.add("PATH=" + env.get("PATH"));
        if (hostname != null && !env.containsKey("HOSTNAME")) {
            envList.add("HOSTNAME=" + hostname);
        }
        env.forEach((k, v) -> {
            if (!k.equals("PATH")) {
                envList.add(k + "=" + v);
            }
        });
        List<String> caps = Capability.ociNames(Capability.DOCKER_DEFAULT.stream().filter(c -> !dropped.contains(c)).toList());
        Spec.Process process = new Spec.Process(terminal, user, args, envList, cwd,
                new Spec.Capabilities(caps, caps, List.of(), caps, List.of()), List.of(), noNewPrivileges);
        Map<String, Object> linux = seccomp == null ? Map.of() : Map.of("seccomp", seccomp);
        return new Spec(Spec.OCI_VERSION, process, new Spec.Root(rootfs, readonlyRoot), hostname,
                DEFAULT_MOUNTS, new Spec.Linux(DEFAULT_NAMESPACES, MASKED_PATHS, READONLY_PATHS, linux), Map.of());
    }

    // tag::docker-defaults[]
    static final List<Spec.Mount> DEFAULT_MOUNTS = List.of(
            new Spec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
            new Spec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
            new Spec.Mount("/dev/pts", "devpts", "devpts",
                    List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
            new Spec.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
            new Spec.Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("ro", "nosuid", "noexec", "nodev")),
            new Spec.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
            new Spec.Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));

    static final List<Spec.LinuxNamespace> DEFAULT_NAMESPACES = List.of(
            new Spec.LinuxNamespace("mount", null),
            new Spec.LinuxNamespace("network", null),
            new Spec.LinuxNamespace("uts", null),
            new Spec.LinuxNamespace("pid", null),
            new Spec.LinuxNamespace("ipc", null),
            new Spec.LinuxNamespace("cgroup", null));

    /** Hidden from the container: they leak host information or reach into the kernel. */
    static final List<String> MASKED_PATHS = List.of(
            "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");

    /** Visible but read-only: writing here would change the host's kernel. */
    static final List<String> READONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    // end::docker-defaults[]
}
