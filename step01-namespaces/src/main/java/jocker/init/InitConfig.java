package jocker.init;

import jocker.capabilities.CapabilitySets;
import jocker.mounts.RootfsConfig;
import jocker.process.ProcessConfig;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the host hands the container's init stage over the init pipe (see InitPipes).
 *
 * <p>The init JVM must start fast, so it gets no JSON: the host turns the
 * spec into this plain record (see SpecConverter) and sends it in a simple
 * binary form: strings as length + UTF-8, lists as count + items. Only the
 * classes of this package and the ones it names are loaded on that side.
 *
 * @param hostname      the UTS hostname to set, or null to keep the inherited one
 * @param unshareFlags  namespaces the init creates itself (the cgroup namespace:
 *                      created after the host placed the process in its cgroup,
 *                      so that cgroup becomes the namespace's root)
 * @param stateDir      null: exec the command as soon as the container is set up
 *                      (a foreground run); else the container's state directory,
 *                      whose exec.fifo the init waits on until {@code start}
 *                      opens it (the OCI "created" state, see ExecFifo)
 * @param dieWithParent the container is killed when the host thread that
 *                      started it ends (a foreground run); a created container
 *                      outlives the command that created it
 * @param enterPid      0 to build a container; else the host pid of a running
 *                      container's init, whose mount namespace this process
 *                      enters (exec) instead of building one
 * @param console       the process gets a terminal, whose master goes to the
 *                      console socket the host passed as fd 5 (see Console)
 * @param seccomp       the seccomp filter, a compiled BPF program (see
 *                      jocker.seccomp.Compiler); null for none
 */
public record InitConfig(String hostname, int unshareFlags, RootfsConfig rootfs, ProcessConfig process,
                         String stateDir, boolean dieWithParent, int enterPid, boolean console, byte[] seccomp) {

    /** A foreground run's config: exec at once, die with the host. */
    public InitConfig(String hostname, int unshareFlags, RootfsConfig rootfs, ProcessConfig process) {
        this(hostname, unshareFlags, rootfs, process, null, true, 0, false, null);
    }

    /** The same config, the init making only these namespaces itself. */
    public InitConfig withUnshareFlags(int flags) {
        return new InitConfig(hostname, flags, rootfs, process, stateDir, dieWithParent, enterPid, console, seccomp);
    }

    /** The same config with a seccomp filter. */
    public InitConfig withSeccomp(byte[] program) {
        return new InitConfig(hostname, unshareFlags, rootfs, process, stateDir, dieWithParent, enterPid, console,
                program);
    }

    /** The same config for a container that waits for start in stateDir, and outlives its creator. */
    public InitConfig waitingIn(String dir) {
        return new InitConfig(hostname, unshareFlags, rootfs, process, dir, false, 0, console, seccomp);
    }

    /** The same config, with a terminal sent to the console socket. */
    public InitConfig withConsole() {
        return new InitConfig(hostname, unshareFlags, rootfs, process, stateDir, dieWithParent, enterPid, true, seccomp);
    }

    /** A process to run in the running container whose init is pid (exec); detached, it outlives the host. */
    public static InitConfig entering(int pid, ProcessConfig process, boolean detached) {
        return new InitConfig(null, 0, new RootfsConfig("/", false, List.of(), List.of(), List.of()), process, null,
                !detached, pid, false, null);
    }

    public void write(DataOutputStream out) throws IOException {
        writeString(out, hostname);
        out.writeInt(unshareFlags);

        writeString(out, rootfs.path());
        out.writeBoolean(rootfs.readonly());
        out.writeBoolean(rootfs.rootMount() != null);
        if (rootfs.rootMount() != null) {
            writeEntry(out, rootfs.rootMount());
        }
        writeString(out, rootfs.bundle());
        out.writeInt(rootfs.mounts().size());
        for (RootfsConfig.Entry m : rootfs.mounts()) {
            writeEntry(out, m);
        }
        writeStrings(out, rootfs.maskedPaths());
        writeStrings(out, rootfs.readonlyPaths());
        out.writeInt(rootfs.devices().size());
        for (RootfsConfig.DeviceNode d : rootfs.devices()) {
            writeString(out, d.path());
            out.writeChar(d.type());
            out.writeLong(d.major());
            out.writeLong(d.minor());
            out.writeInt(d.mode());
            out.writeInt(d.uid());
            out.writeInt(d.gid());
        }
        writeStrings(out, rootfs.sysctl());
        out.writeLong(rootfs.rootPropagation());
        out.writeBoolean(rootfs.ownMountNamespace());

        writeStrings(out, process.args());
        writeStrings(out, process.env());
        writeString(out, process.cwd());
        out.writeInt(process.uid());
        out.writeInt(process.gid());
        out.writeInt(process.additionalGids().size());
        for (int gid : process.additionalGids()) {
            out.writeInt(gid);
        }
        out.writeInt(process.umask());
        CapabilitySets caps = process.capabilities();
        out.writeLong(caps.bounding());
        out.writeLong(caps.effective());
        out.writeLong(caps.inheritable());
        out.writeLong(caps.permitted());
        out.writeLong(caps.ambient());
        out.writeBoolean(process.noNewPrivileges());
        out.writeInt(process.rlimits().size());
        for (ProcessConfig.Limit l : process.rlimits()) {
            out.writeInt(l.resource());
            out.writeLong(l.soft());
            out.writeLong(l.hard());
        }
        writeString(out, stateDir);
        out.writeBoolean(dieWithParent);
        out.writeInt(enterPid);
        out.writeBoolean(console);
        out.writeInt(seccomp == null ? -1 : seccomp.length);
        if (seccomp != null) {
            out.write(seccomp);
        }
        out.flush();
    }

    public static InitConfig read(DataInputStream in) throws IOException {
        String hostname = readString(in);
        int unshareFlags = in.readInt();

        String rootPath = readString(in);
        boolean readonly = in.readBoolean();
        RootfsConfig.Entry rootMount = in.readBoolean() ? readEntry(in) : null;
        String bundle = readString(in);
        int mountCount = in.readInt();
        List<RootfsConfig.Entry> mounts = new ArrayList<>(mountCount);
        for (int i = 0; i < mountCount; i++) {
            mounts.add(readEntry(in));
        }
        List<String> masked = readStrings(in);
        List<String> readonlyPaths = readStrings(in);
        int deviceCount = in.readInt();
        List<RootfsConfig.DeviceNode> devices = new ArrayList<>(deviceCount);
        for (int i = 0; i < deviceCount; i++) {
            devices.add(new RootfsConfig.DeviceNode(readString(in), in.readChar(), in.readLong(), in.readLong(),
                    in.readInt(), in.readInt(), in.readInt()));
        }
        RootfsConfig rootfs = new RootfsConfig(rootPath, readonly, rootMount, bundle, mounts, masked, readonlyPaths,
                devices, readStrings(in), in.readLong(), in.readBoolean());

        List<String> args = readStrings(in);
        List<String> env = readStrings(in);
        String cwd = readString(in);
        int uid = in.readInt();
        int gid = in.readInt();
        int groupCount = in.readInt();
        List<Integer> groups = new ArrayList<>(groupCount);
        for (int i = 0; i < groupCount; i++) {
            groups.add(in.readInt());
        }
        int umask = in.readInt();
        CapabilitySets caps = new CapabilitySets(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
        boolean noNewPrivileges = in.readBoolean();
        int limitCount = in.readInt();
        List<ProcessConfig.Limit> limits = new ArrayList<>(limitCount);
        for (int i = 0; i < limitCount; i++) {
            limits.add(new ProcessConfig.Limit(in.readInt(), in.readLong(), in.readLong()));
        }
        ProcessConfig process = new ProcessConfig(args, env, cwd, uid, gid, groups, umask, caps, noNewPrivileges, limits);
        String stateDir = readString(in);
        boolean dieWithParent = in.readBoolean();
        int enterPid = in.readInt();
        boolean console = in.readBoolean();
        int seccompLength = in.readInt();
        byte[] seccomp = null;
        if (seccompLength >= 0) {
            seccomp = new byte[seccompLength];
            in.readFully(seccomp);
        }
        return new InitConfig(hostname, unshareFlags, rootfs, process, stateDir, dieWithParent, enterPid, console,
                seccomp);
    }

    private static void writeEntry(DataOutputStream out, RootfsConfig.Entry m) throws IOException {
        writeString(out, m.source());
        writeString(out, m.destination());
        writeString(out, m.type());
        out.writeLong(m.flags());
        out.writeLong(m.propagation());
        writeString(out, m.data());
    }

    private static RootfsConfig.Entry readEntry(DataInputStream in) throws IOException {
        return new RootfsConfig.Entry(readString(in), readString(in), readString(in), in.readLong(), in.readLong(),
                readString(in));
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeStrings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            writeString(out, s);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<String> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(readString(in));
        }
        return list;
    }
}
