package jocker.process;

import com.sun.jna.LastErrorException;
import jocker.sys.LibC;
import jocker.sys.SysException;

/** The resources of setrlimit(2), by their OCI names ("RLIMIT_NOFILE"); ordinal() is the resource number. */
public enum Rlimit {
    RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_RSS,
    RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS,
    RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, RLIMIT_NICE, RLIMIT_RTPRIO, RLIMIT_RTTIME;

    /** RLIM_INFINITY as a signed long. */
    public static final long INFINITY = -1L;

    public static Rlimit parse(String name) {
        for (Rlimit r : values()) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown rlimit type \"" + name + "\"");
    }

    /** This process's current {soft, hard}. */
    public long[] current() {
        long[] limit = new long[2];
        try {
            LibC.getrlimit(ordinal(), limit);
        } catch (LastErrorException e) {
            throw SysException.of(e, "getrlimit " + name());
        }
        return limit;
    }

    public static void apply(ProcessConfig.Limit limit) {
        try {
            LibC.setrlimit(limit.resource(), new long[] {limit.soft(), limit.hard()});
        } catch (LastErrorException e) {
            throw SysException.of(e, "setrlimit " + values()[limit.resource()].name() + " to "
                    + Long.toUnsignedString(limit.soft()) + ":" + Long.toUnsignedString(limit.hard()));
        }
    }

    /** Compares limits as the kernel does: unsigned, so INFINITY is the largest. */
    public static boolean exceeds(long value, long bound) {
        return Long.compareUnsigned(value, bound) > 0;
    }
}
