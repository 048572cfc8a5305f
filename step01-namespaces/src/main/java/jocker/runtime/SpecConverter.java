package jocker.runtime;

import jocker.capabilities.Capability;
import jocker.capabilities.CapabilitySets;
import jocker.init.InitConfig;
import jocker.mounts.MountFlags;
import jocker.mounts.RootfsConfig;
import jocker.namespaces.IdMap;
import jocker.namespaces.Namespace;
import jocker.namespaces.UserNamespace;
import jocker.process.ProcessConfig;
import jocker.process.Rlimit;
import jocker.seccomp.Compiler;
import jocker.seccomp.Profile;
import jocker.spec.Spec;
import jocker.spec.SpecException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place where a spec (config.json) becomes what the kernel calls
 * need: validated, with names turned into numbers, paths made absolute,
 * and the namespaces split between those the host creates and those the
 * init creates. Every problem is a {@link SpecException} naming the value,
 * raised before anything is started.
 */
public final class SpecConverter {
    private SpecConverter() {}

    /** The namespaces the host creates for docker's default set (the cgroup one is the init's). */
    public static final int DOCKER_HOST_NAMESPACES = Namespace.MOUNT.cloneFlag() | Namespace.UTS.cloneFlag()
            | Namespace.IPC.cloneFlag() | Namespace.PID.cloneFlag() | Namespace.NETWORK.cloneFlag();

    /** A namespace to join instead of create (linux.namespaces[].path). */
    public record Join(Namespace namespace, String path) {
    }

    /**
     * @param hostUnshareFlags clone flags the host thread unshares before starting the init
     * @param joins            namespaces the host thread joins with setns(2) first
     */
    /**
     * @param hostUnshareFlags clone flags the host thread unshares before starting the init
     * @param joins            namespaces the host thread joins with setns(2) first
     * @param user             null, or the new user namespace the init is born in (with the
     *                         namespaces of hostUnshareFlags, then owned by it)
     */
    public record Converted(InitConfig init, int hostUnshareFlags, List<Join> joins, UserNamespace user,
                            List<String> warnings) {
        public boolean creates(Namespace ns) {
            return (hostUnshareFlags & ns.cloneFlag()) != 0 || (init.unshareFlags() & ns.cloneFlag()) != 0
                    || (ns == Namespace.USER && user != null);
        }
    }

    public static Converted convert(Spec spec, Path bundleDir) {
        if (spec.process() == null) {
            throw new SpecException("the spec has no process");
        }
        if (spec.root() == null || spec.root().path() == null || spec.root().path().isEmpty()) {
            throw new SpecException("the spec has no root.path");
        }
        Path rootfs = bundleDir.resolve(spec.root().path()).toAbsolutePath().normalize();
        if (!Files.isDirectory(rootfs)) {
            throw new SpecException("rootfs " + rootfs + ": no such directory");
        }

        int hostFlags = 0;
        int initFlags = 0;
        List<Join> joins = new ArrayList<>();
        Set<Namespace> seen = EnumSet.noneOf(Namespace.class);
        Spec.Linux linux = spec.linux() == null ? new Spec.Linux(null, null, null, null) : spec.linux();
        for (Spec.LinuxNamespace n : linux.namespaces()) {
            Namespace ns = parse(() -> Namespace.fromOci(n.type()));
            if (!seen.add(ns)) {
                throw new SpecException("namespace " + ns.ociName() + " is listed twice");
            }
            if (ns == Namespace.USER && n.path() != null && !n.path().isEmpty()) {
                throw new SpecException("joining the user namespace " + n.path() + " is not supported:"
                        + " jocker creates a new one from linux.uidMappings and gidMappings");
            }
            if (n.path() != null && !n.path().isEmpty()) {
                if (!Files.exists(Path.of(n.path()))) {
                    throw new SpecException("namespace path " + n.path() + ": no such file");
                }
                joins.add(new Join(ns, n.path()));
            } else if (ns == Namespace.USER) {
                continue; // made by the clone that starts the init, see userNamespace()
            } else if (ns == Namespace.CGROUP) {
                // created by the init, after the host placed it in its cgroup
                initFlags |= ns.cloneFlag();
            } else {
                hostFlags |= ns.cloneFlag();
            }
        }
        UserNamespace user = userNamespace(seen.contains(Namespace.USER), linux);
        // the mount namespace last: the other namespaces' paths are read in the host's
        joins.sort(Comparator.comparing(j -> j.namespace() == Namespace.MOUNT));
        boolean ownUts = (hostFlags & Namespace.UTS.cloneFlag()) != 0
                || joins.stream().anyMatch(j -> j.namespace() == Namespace.UTS);
        if (spec.hostname() != null && !spec.hostname().isEmpty() && !ownUts) {
            throw new SpecException("hostname \"" + spec.hostname() + "\" needs a new uts namespace");
        }

        List<RootfsConfig.Entry> mounts = mounts(spec.mounts(), bundleDir);
        RootfsConfig.Entry rootMount = null;
        for (RootfsConfig.Entry m : List.copyOf(mounts)) {
            if (m.destination().equals("/")) {
                if (rootMount != null) {
                    throw new SpecException("two mounts have destination \"/\": only one can be the root filesystem");
                }
                rootMount = m;
                mounts.remove(m);
            }
        }
        boolean ownNet = (hostFlags & Namespace.NETWORK.cloneFlag()) != 0
                || joins.stream().anyMatch(j -> j.namespace() == Namespace.NETWORK);
        boolean ownIpc = (hostFlags & Namespace.IPC.cloneFlag()) != 0
                || joins.stream().anyMatch(j -> j.namespace() == Namespace.IPC);
        RootfsConfig rootfsConfig = new RootfsConfig(rootfs.toString(), spec.root().readonly(), rootMount,
                bundleDir.toAbsolutePath().toString(), mounts, absolute(linux.maskedPaths(), "maskedPaths"),
                absolute(linux.readonlyPaths(), "readonlyPaths"), devices(linux.extensions().get("devices")),
                sysctl(linux.extensions().get("sysctl"), ownNet, ownIpc, ownUts),
                rootPropagation(linux.extensions().get("rootfsPropagation")), seen.contains(Namespace.MOUNT));
        if (!seen.contains(Namespace.MOUNT)) {
            refuseWithoutMountNamespace(rootfsConfig, user);
        }
        String hostname = spec.hostname() == null || spec.hostname().isEmpty() ? null : spec.hostname();
        InitConfig init = new InitConfig(hostname, initFlags, rootfsConfig, process(spec.process()));
        Object seccomp = linux.extensions().get("seccomp");
        if (seccomp != null) {
            Spec.Capabilities c = spec.process().capabilities();
            init = init.withSeccomp(Compiler.compile(Profile.of(seccomp), c == null ? List.of() : c.bounding()));
        }
        if (spec.hooks() != null && (!spec.hooks().createContainer().isEmpty() || !spec.hooks().startContainer().isEmpty())) {
            throw new SpecException("hooks.createContainer and hooks.startContainer run inside the container's"
                    + " namespaces, which jocker does not do: use prestart, createRuntime, poststart or poststop");
        }
        for (List<Spec.Hook> phase : spec.hooks() == null ? List.<List<Spec.Hook>>of() : List.of(spec.hooks().prestart(),
                spec.hooks().createRuntime(), spec.hooks().poststart(), spec.hooks().poststop())) {
            for (Spec.Hook hook : phase) {
                if (hook.path() == null || !hook.path().startsWith("/")) {
                    throw new SpecException("hook path \"" + hook.path() + "\" is not an absolute path");
                }
                if (hook.timeout() != null && hook.timeout() <= 0) {
                    throw new SpecException("hook " + hook.path() + ": timeout " + hook.timeout() + " is not positive");
                }
            }
        }
        if (user != null) {
            mapped(user.uids(), "uid", init.process().uid(), "process.user.uid");
            mapped(user.gids(), "gid", init.process().gid(), "process.user.gid");
            for (int gid : init.process().additionalGids()) {
                mapped(user.gids(), "gid", gid, "process.user.additionalGids");
            }
        }
        return new Converted(init, hostFlags, joins, user, securityLabels(spec.process()));
    }

    /** linux.rootfsPropagation: shared, slave, private, unbindable (or their r- forms), as mount flags. */
    private static long rootPropagation(Object value) {
        if (value == null || value.toString().isEmpty()) {
            return 0;
        }
        long flags = MountFlags.parse(List.of(value.toString())).propagation();
        if (flags == 0) {
            throw new SpecException("linux.rootfsPropagation \"" + value + "\" is not shared, slave, private or unbindable");
        }
        return flags;
    }

    // tag::no-mount-namespace[]
    /**
     * A container may share the host's mount namespace (runc allows it): its
     * mounts are then made on the rootfs in the host's namespace, removed by
     * delete, and the init chroots. What would change the host's own mounts
     * is refused, as runc refuses it: hiding or write-protecting paths, a
     * read-only root, a root propagation, a root mount; and a user namespace,
     * whose root could not mount in the host's namespace anyway.
     */
    private static void refuseWithoutMountNamespace(RootfsConfig rootfs, UserNamespace user) {
        String what = !rootfs.maskedPaths().isEmpty() || !rootfs.readonlyPaths().isEmpty()
                ? "linux.maskedPaths and readonlyPaths"
                : rootfs.readonly() ? "root.readonly"
                : rootfs.rootPropagation() != 0 ? "linux.rootfsPropagation"
                : rootfs.rootMount() != null ? "a mount on \"/\""
                : user != null ? "a user namespace"
                : null;
        if (what != null) {
            throw new SpecException("cannot apply " + what + " without a mount namespace of the container's own"
                    + " (linux.namespaces needs {\"type\": \"mount\"})");
        }
    }
    // end::no-mount-namespace[]

    // tag::user-namespace[]
    /**
     * A new user namespace, from linux.uidMappings and gidMappings: both
     * needed, and both must map id 0, the namespace's root, which the init
     * becomes (it builds the container as that root, then becomes
     * process.user). Maps without the namespace are refused, as runc does.
     */
    private static UserNamespace userNamespace(boolean listed, Spec.Linux linux) {
        Object uids = linux.extensions().get("uidMappings");
        Object gids = linux.extensions().get("gidMappings");
        if (!listed) {
            if (uids != null || gids != null) {
                throw new SpecException("linux.uidMappings and gidMappings need a user namespace"
                        + " (linux.namespaces needs {\"type\": \"user\"})");
            }
            return null;
        }
        if (uids == null || gids == null) {
            throw new SpecException("a user namespace needs linux.uidMappings and linux.gidMappings");
        }
        UserNamespace user = UserNamespace.create(parse(() -> IdMap.parse(uids, "uidMappings")),
                parse(() -> IdMap.parse(gids, "gidMappings")));
        mapped(user.uids(), "uid", 0, "the user namespace's root");
        mapped(user.gids(), "gid", 0, "the user namespace's root");
        return user;
    }
    // end::user-namespace[]

    private static void mapped(IdMap map, String kind, long id, String what) {
        if (map.toHost(id) < 0) {
            throw new SpecException(what + ": " + kind + " " + id + " is not in linux." + kind + "Mappings");
        }
    }

    /** linux.devices: the device nodes to make in the container. */
    private static List<RootfsConfig.DeviceNode> devices(Object section) {
        List<RootfsConfig.DeviceNode> nodes = new ArrayList<>();
        if (section == null) {
            return nodes;
        }
        if (!(section instanceof List<?> list)) {
            throw new SpecException("linux.devices is not a list");
        }
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> d)) {
                throw new SpecException("linux.devices entry " + o + " is not an object");
            }
            String path = d.get("path") instanceof String p ? p : null;
            if (path == null || !path.startsWith("/")) {
                throw new SpecException("linux.devices entry " + d + ": path is not an absolute path");
            }
            String type = String.valueOf(d.get("type"));
            char t = switch (type) {
                case "c", "u" -> 'c';
                case "b" -> 'b';
                case "p" -> 'p';
                default -> throw new SpecException("linux.devices " + path + ": type \"" + type + "\" is not c, b, u or p");
            };
            long major = number(d.get("major"), t == 'p' ? 0 : -1, path, "major");
            long minor = number(d.get("minor"), t == 'p' ? 0 : -1, path, "minor");
            int mode = (int) number(d.get("fileMode"), 0666, path, "fileMode");
            nodes.add(new RootfsConfig.DeviceNode(path, t, major, minor, mode & 07777,
                    (int) number(d.get("uid"), 0, path, "uid"), (int) number(d.get("gid"), 0, path, "gid")));
        }
        return nodes;
    }

    private static long number(Object value, long otherwise, String path, String field) {
        if (value == null && otherwise >= 0) {
            return otherwise;
        }
        if (!(value instanceof Number n) || n.longValue() < 0) {
            throw new SpecException("linux.devices " + path + ": " + field + " is missing or not a number");
        }
        return n.longValue();
    }

    // tag::sysctl[]
    /**
     * linux.sysctl: kernel parameters set inside the container. Only those a
     * namespace of the container's own makes private can be set, or the
     * container would change the host (runc's rule): net.* with a network
     * namespace, the System V IPC limits and fs.mqueue.* with an ipc one, the
     * host and domain names with a uts one.
     */
    private static List<String> sysctl(Object section, boolean ownNet, boolean ownIpc, boolean ownUts) {
        List<String> settings = new ArrayList<>();
        if (section == null) {
            return settings;
        }
        if (!(section instanceof Map<?, ?> map)) {
            throw new SpecException("linux.sysctl is not an object");
        }
        List<String> ipc = List.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
                "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey()).replace('/', '.');
            if (key.contains("..") || key.startsWith(".")) {
                throw new SpecException("linux.sysctl \"" + e.getKey() + "\" is not a kernel parameter name");
            }
            boolean allowed = key.startsWith("net.") ? ownNet
                    : ipc.contains(key) || key.startsWith("fs.mqueue.") ? ownIpc
                    : (key.equals("kernel.hostname") || key.equals("kernel.domainname")) && ownUts;
            if (!allowed) {
                throw new SpecException("linux.sysctl \"" + key + "\" is not private to a namespace of the container"
                        + " (it would change the host)");
            }
            settings.add(key + "=" + e.getValue());
        }
        return settings;
    }
    // end::sysctl[]

    // tag::lsm[]
    /**
     * AppArmor and SELinux labels: jocker applies neither. On a host whose
     * kernel does not run that LSM, a label means nothing, and runc warns;
     * on a host that runs it, ignoring the label would run the container less
     * confined than asked, so the spec is refused.
     */
    private static List<String> securityLabels(Spec.Process p) {
        List<String> warnings = new ArrayList<>();
        lsm(p.apparmorProfile(), "process.apparmorProfile", "AppArmor",
                Path.of("/sys/module/apparmor/parameters/enabled"), "Y", warnings);
        lsm(p.selinuxLabel(), "process.selinuxLabel", "SELinux", Path.of("/sys/fs/selinux/enforce"), null, warnings);
        return warnings;
    }

    private static void lsm(String label, String field, String lsm, Path enabledFile, String enabledValue,
                            List<String> warnings) {
        if (label == null || label.isEmpty()) {
            return;
        }
        boolean enabled;
        try {
            enabled = Files.exists(enabledFile)
                    && (enabledValue == null || Files.readString(enabledFile).strip().equals(enabledValue));
        } catch (IOException e) {
            enabled = false;
        }
        if (enabled) {
            throw new SpecException(field + " \"" + label + "\": jocker cannot apply " + lsm
                    + " labels, and this host enforces " + lsm);
        }
        warnings.add(field + " \"" + label + "\" ignored: " + lsm + " is not enabled on this host");
    }
    // end::lsm[]

    static ProcessConfig process(Spec.Process p) {
        if (p.args().isEmpty()) {
            throw new SpecException("process.args is empty: no command to run");
        }
        if (!p.cwd().startsWith("/")) {
            throw new SpecException("process.cwd \"" + p.cwd() + "\" is not an absolute path");
        }
        for (String e : p.env()) {
            if (e.indexOf('=') <= 0) {
                throw new SpecException("process.env entry \"" + e + "\" is not KEY=VALUE");
            }
        }
        if (p.oomScoreAdj() != null && (p.oomScoreAdj() < -1000 || p.oomScoreAdj() > 1000)) {
            throw new SpecException("process.oomScoreAdj " + p.oomScoreAdj() + " is not between -1000 and 1000");
        }
        Spec.User user = p.user();
        if (user.uid() < 0 || user.gid() < 0) {
            throw new SpecException("process.user uid " + user.uid() + " gid " + user.gid() + ": ids cannot be negative");
        }
        Spec.Capabilities c = p.capabilities() == null
                ? new Spec.Capabilities(null, null, null, null, null) : p.capabilities();
        CapabilitySets caps = parse(() -> new CapabilitySets(Capability.mask(c.bounding()),
                Capability.mask(c.effective()), Capability.mask(c.inheritable()),
                Capability.mask(c.permitted()), Capability.mask(c.ambient())));
        List<ProcessConfig.Limit> limits = new ArrayList<>();
        for (Spec.Rlimit r : p.rlimits()) {
            limits.add(rlimit(r));
        }
        int umask = user.umask() == null ? 022 : user.umask();
        return new ProcessConfig(p.args(), p.env(), p.cwd(), user.uid(), user.gid(), user.additionalGids(),
                umask, caps, p.noNewPrivileges(), limits);
    }

    // tag::rlimits[]
    private static ProcessConfig.Limit rlimit(Spec.Rlimit r) {
        Rlimit type = parse(() -> Rlimit.parse(r.type()));
        if (Rlimit.exceeds(r.soft(), r.hard())) {
            throw new SpecException(r.type() + ": soft limit " + Long.toUnsignedString(r.soft())
                    + " is above the hard limit " + Long.toUnsignedString(r.hard()));
        }
        // Raising a hard limit needs CAP_SYS_RESOURCE, which a container host may
        // not grant (podman's default nofile of 1048576 fails here): refuse up front.
        long hostHard = type.current()[1];
        if (Rlimit.exceeds(r.hard(), hostHard)) {
            throw new SpecException(r.type() + ": hard limit " + Long.toUnsignedString(r.hard())
                    + " is above this host's hard limit " + Long.toUnsignedString(hostHard));
        }
        return new ProcessConfig.Limit(type.ordinal(), r.soft(), r.hard());
    }
    // end::rlimits[]

    private static List<RootfsConfig.Entry> mounts(List<Spec.Mount> mounts, Path bundleDir) {
        List<RootfsConfig.Entry> entries = new ArrayList<>();
        for (Spec.Mount m : mounts) {
            if (m.destination() == null || !m.destination().startsWith("/")) {
                throw new SpecException("mount destination \"" + m.destination() + "\" is not an absolute path");
            }
            MountFlags.Parsed options = MountFlags.parse(m.options());
            long flags = options.flags();
            String source = m.source();
            if ("bind".equals(m.type())) {
                flags |= MountFlags.MS_BIND;
            }
            if ((flags & MountFlags.MS_BIND) != 0) {
                if (source == null || source.isEmpty()) {
                    throw new SpecException("bind mount on " + m.destination() + " has no source");
                }
                Path src = bundleDir.resolve(source).toAbsolutePath().normalize();
                if (!Files.exists(src)) {
                    throw new SpecException("bind mount source " + src + ": no such file or directory");
                }
                source = src.toString();
            } else if (m.type() == null || m.type().isEmpty()) {
                throw new SpecException("mount on " + m.destination() + " has no type");
            }
            entries.add(new RootfsConfig.Entry(source, m.destination(), m.type(), flags,
                    options.propagation(), options.data()));
        }
        return entries;
    }

    private static List<String> absolute(List<String> paths, String field) {
        for (String p : paths) {
            if (!p.startsWith("/")) {
                throw new SpecException("linux." + field + " entry \"" + p + "\" is not an absolute path");
            }
        }
        return paths;
    }

    private interface Parse<T> {
        T get();
    }

    /** Runs a parser of names and turns its IllegalArgumentException into a SpecException. */
    private static <T> T parse(Parse<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new SpecException(e.getMessage(), e);
        }
    }
}
