package jocker.network.netlink;

import com.sun.jna.LastErrorException;
import jocker.sys.Fd;
import jocker.sys.JockerException;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

// tag::netns[]
/**
 * Work done inside another network namespace. setns(2) with CLONE_NEWNET
 * moves only the calling thread, so the work runs on a thread of its own
 * that joins the namespace, opens its netlink socket there (a socket keeps
 * the namespace it was made in) and ends: the JVM's other threads never
 * leave the host's namespace.
 */
public final class NetNs {
    private static final int CLONE_NEWNET = 0x40000000;

    private NetNs() {}

    /** Runs work with a Links of the namespace at path (/proc/PID/ns/net), and returns what it returns. */
    public static <T> T inside(String path, Function<Links, T> work) {
        return call(path, () -> {
            try (Links links = new Links()) {
                return work.apply(links);
            }
        });
    }

    /**
     * Runs work on a thread that has joined the network namespace at path:
     * a socket it opens belongs to that namespace for good (a server of a
     * test's own "internet" ...), whichever thread uses it later.
     */
    public static <T> T call(String path, Supplier<T> work) {
        int fd = open(path);
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                LibC.setns(fd, CLONE_NEWNET);
                result.set(work.get());
            } catch (LastErrorException e) {
                failure.set(SysException.of(e, "setns " + path));
            } catch (RuntimeException | Error e) {
                failure.set(e);
            }
        }, "netns");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JockerException("interrupted in " + path);
        } finally {
            Fd.close(fd);
        }
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
        return result.get();
    }
    // end::netns[]

    /** An fd open on a namespace file, for IFLA_NET_NS_FD or setns. */
    public static int open(String path) {
        try {
            return LibC.open(path, Fd.O_RDONLY | Fd.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw SysException.of(e, "open " + path);
        }
    }
}
