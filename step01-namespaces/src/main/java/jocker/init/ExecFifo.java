package jocker.init;

import com.sun.jna.LastErrorException;
import jocker.sys.Errno;
import jocker.sys.Fd;
import jocker.sys.JockerException;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * How a created container waits for {@code start}, as runc's init does: on a
 * FIFO in the container's state directory.
 *
 * <p>Opening a FIFO for writing blocks until someone opens it for reading.
 * The init, its container fully set up, opens {@code exec.fifo} for writing
 * and so sleeps in open(2), holding no lock and polling nothing, for as long
 * as the container stays "created". {@code start} opens it for reading: the
 * init wakes, writes one byte to say so, and execs the user's command.
 * {@code start} reads that byte and removes the FIFO; "the FIFO exists" and
 * "the container is created" are then the same fact.
 *
 * <pre>
 *   create (host)            init (in the container)          start (host, later)
 *   mkfifo exec.fifo
 *                            open state dir (O_PATH)
 *                            mounts, pivot_root, user ...
 *   reads READY   <--------  status pipe: READY
 *   writes state.json,       openat(dir, "exec.fifo", O_WRONLY)
 *   exits                      ... sleeps ...                  open(exec.fifo, O_RDONLY)
 *                            write "0"                -------> read "0"
 *                            execve(command)                   rm exec.fifo
 * </pre>
 */
public final class ExecFifo {
    private ExecFifo() {}

    public static final String NAME = "exec.fifo";

    // tag::mkfifo[]
    /**
     * Makes the FIFO in the state directory. The init opens it after it became
     * the container's user and dropped its capabilities, so that user must be
     * able to open it for writing: owned by it, mode 0622, as runc makes it.
     */
    public static void create(Path stateDir, int uid, int gid) {
        String fifo = stateDir.resolve(NAME).toString();
        try {
            LibC.mkfifo(fifo, 0622);
            LibC.chown(fifo, uid, gid);
        } catch (LastErrorException e) {
            throw SysException.of(e, "mkfifo " + fifo);
        }
    }
    // end::mkfifo[]

    /**
     * The init's side, first half: opens the state directory while the host's
     * tree is still visible (before pivot_root). The fd is close-on-exec and
     * closed by {@link #awaitStart}, so the container's command never sees it.
     */
    // tag::await-start[]
    /** The init's side, second half: blocks until start opens the FIFO, then says it woke up. */
    static void awaitStart(int stateDirFd) {
        int fd;
        try {
            fd = LibC.openat(stateDirFd, NAME, Fd.O_WRONLY | Fd.O_CLOEXEC, 0); // sleeps here until start
        } catch (LastErrorException e) {
            throw SysException.of(e, "open " + NAME + " (was the container deleted?)");
        } finally {
            Fd.close(stateDirFd);
        }
        try {
            LibC.write(fd, new byte[] {'0'}, 1);
        } catch (LastErrorException e) {
            throw SysException.of(e, "write " + NAME);
        } finally {
            Fd.close(fd);
        }
    }
    // end::await-start[]

    /** Whether the container still waits for start. */
    public static boolean exists(Path stateDir) {
        return Files.exists(stateDir.resolve(NAME));
    }

    /**
     * start's side: wakes the init and waits for its byte. The open does not
     * block (O_NONBLOCK), so an init that died meanwhile cannot hang start:
     * while nothing has been read, initAlive is asked, and a dead init is an
     * error. Removes the FIFO once the init took it.
     */
    public static void start(Path stateDir, BooleanSupplier initAlive) {
        String fifo = stateDir.resolve(NAME).toString();
        int fd;
        try {
            fd = LibC.open(fifo, Fd.O_RDONLY | Fd.O_NONBLOCK | Fd.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw SysException.of(e, "open " + fifo);
        }
        try {
            byte[] one = new byte[1];
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try {
                    if (LibC.read(fd, one, 1) == 1) {
                        break;
                    }
                    // 0: no writer has the FIFO open (yet): the init is still waking, or dead
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != Errno.EAGAIN && e.getErrorCode() != Errno.EINTR) {
                        throw SysException.of(e, "read " + fifo);
                    }
                    // EAGAIN: the init has it open and is about to write
                }
                if (!initAlive.getAsBoolean()) {
                    throw new JockerException("the container's init exited before it could be started");
                }
                if (System.nanoTime() > deadline) {
                    throw new JockerException("the container's init did not answer on " + fifo + " within 10 s");
                }
                sleepBriefly();
            }
        } finally {
            Fd.close(fd);
        }
        try {
            Files.deleteIfExists(Path.of(fifo));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + fifo, e);
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JockerException("interrupted while starting the container");
        }
    }
}
