package jocker.namespaces;

import java.util.Locale;

/**
 * The Linux namespaces a container can get, with the OCI name of each (the
 * {@code linux.namespaces[].type} of config.json), the clone flag that creates
 * it (clone(2), unshare(2)) and its file under /proc/PID/ns (setns(2)).
 */
public enum Namespace {
    // tag::namespaces[]
    MOUNT("mount", 0x00020000, "mnt"),        // CLONE_NEWNS: its own mount table
    UTS("uts", 0x04000000, "uts"),            // CLONE_NEWUTS: its own hostname
    IPC("ipc", 0x08000000, "ipc"),            // CLONE_NEWIPC: its own SysV IPC and POSIX queues
    PID("pid", 0x20000000, "pid"),            // CLONE_NEWPID: its own process ids, first child is PID 1
    NETWORK("network", 0x40000000, "net"),    // CLONE_NEWNET: its own interfaces, routes, ports
    CGROUP("cgroup", 0x02000000, "cgroup"),   // CLONE_NEWCGROUP: its own cgroup root
    USER("user", 0x10000000, "user");         // CLONE_NEWUSER: its own uids (only if a spec asks)
    // end::namespaces[]

    private final String ociName;
    private final int cloneFlag;
    private final String procName;

    Namespace(String ociName, int cloneFlag, String procName) {
        this.ociName = ociName;
        this.cloneFlag = cloneFlag;
        this.procName = procName;
    }

    /** The name config.json uses: "mount", "network", ... */
    public String ociName() {
        return ociName;
    }

    public int cloneFlag() {
        return cloneFlag;
    }

    /** The file name under /proc/PID/ns: "mnt", "net", ... */
    public String procName() {
        return procName;
    }

    /** Parses an OCI namespace type; the error quotes the bad value. */
    public static Namespace fromOci(String type) {
        for (Namespace ns : values()) {
            if (ns.ociName.equals(type)) {
                return ns;
            }
        }
        throw new IllegalArgumentException("unknown namespace type \"" + type
                + "\" (expected one of mount, uts, ipc, pid, network, cgroup, user)");
    }

    /** "mount uts ipc pid network": the namespaces whose flags are set in cloneFlags. */
    public static String names(int cloneFlags) {
        StringBuilder names = new StringBuilder();
        for (Namespace ns : values()) {
            if ((cloneFlags & ns.cloneFlag) != 0) {
                names.append(names.length() == 0 ? "" : " ").append(ns.ociName);
            }
        }
        return names.toString();
    }

    @Override
    public String toString() {
        return ociName.toLowerCase(Locale.ROOT);
    }
}
