package jocker.capabilities;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The Linux capabilities (capabilities(7), linux/capability.h), in bit order:
 * {@code ordinal()} is the capability number.
 */
public enum Capability {
    CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID,
    SETPCAP, LINUX_IMMUTABLE, NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW,
    IPC_LOCK, IPC_OWNER, SYS_MODULE, SYS_RAWIO, SYS_CHROOT, SYS_PTRACE, SYS_PACCT,
    SYS_ADMIN, SYS_BOOT, SYS_NICE, SYS_RESOURCE, SYS_TIME, SYS_TTY_CONFIG, MKNOD,
    LEASE, AUDIT_WRITE, AUDIT_CONTROL, SETFCAP, MAC_OVERRIDE, MAC_ADMIN, SYSLOG,
    WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ, PERFMON, BPF, CHECKPOINT_RESTORE;

    // tag::docker-default[]
    /**
     * Docker's default set (moby oci/caps/defaults.go): what a root process in
     * a container keeps. Everything else, CAP_SYS_ADMIN first, is dropped from
     * every set, bounding included, so not even a setuid binary gets it back.
     * As a mask this is 0x00000000a80425fb, the CapEff of a docker container.
     */
    public static final List<Capability> DOCKER_DEFAULT = List.of(
            CHOWN, DAC_OVERRIDE, FSETID, FOWNER, MKNOD, NET_RAW, SETGID, SETUID,
            SETFCAP, SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE);
    // end::docker-default[]

    /** "CAP_CHOWN" as config.json writes it. */
    public String ociName() {
        return "CAP_" + name();
    }

    public long bit() {
        return 1L << ordinal();
    }

    /** Accepts "CAP_CHOWN", "chown" or "CHOWN"; the error quotes the bad name. */
    public static Capability parse(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("CAP_") ? upper.substring(4) : upper;
        for (Capability c : values()) {
            if (c.name().equals(bare)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown capability \"" + name + "\"");
    }

    public static long mask(Collection<String> names) {
        long mask = 0;
        for (String name : names) {
            mask |= parse(name).bit();
        }
        return mask;
    }

    public static List<String> ociNames(Collection<Capability> caps) {
        List<String> names = new ArrayList<>();
        for (Capability c : caps) {
            names.add(c.ociName());
        }
        return names;
    }
}
