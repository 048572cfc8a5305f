package jocker.sys;

import com.sun.jna.LastErrorException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Java streams over a raw file descriptor, for the pipes between the host
 * and the container's init (java.io offers no way to wrap an fd number).
 */
public final class Fd {
    private Fd() {}

    // open(2) flags (asm-generic/fcntl.h)
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_CREAT = 0100;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;

    private static final int EINTR = 4;

    /** A pipe(2), both ends close-on-exec: {read end, write end}. */
    public static int[] pipe() {
        int[] fds = new int[2];
        try {
            LibC.pipe2(fds, O_CLOEXEC);
        } catch (LastErrorException e) {
            throw SysException.of(e, "pipe2");
        }
        return fds;
    }

    /** A second descriptor of fd's open file, close-on-exec (fcntl F_DUPFD_CLOEXEC). */
    public static int dup(int fd) {
        try {
            return LibC.fcntl(fd, F_DUPFD_CLOEXEC, 3);
        } catch (LastErrorException e) {
            throw SysException.of(e, "duplicate fd " + fd);
        }
    }

    private static final int F_DUPFD_CLOEXEC = 1030;

    public static void close(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // already closed or never valid: nothing left to release
        }
    }

    public static InputStream in(int fd) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                byte[] buf = off == 0 ? b : new byte[len];
                while (true) {
                    try {
                        int n = (int) LibC.read(fd, buf, len);
                        if (n <= 0) {
                            return -1;
                        }
                        if (buf != b) {
                            System.arraycopy(buf, 0, b, off, n);
                        }
                        return n;
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() != EINTR) {
                            throw new IOException("read fd " + fd + ": " + LibC.strerror(e.getErrorCode()));
                        }
                    }
                }
            }

            @Override
            public void close() {
                Fd.close(fd);
            }
        };
    }

    public static OutputStream out(int fd) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                byte[] buf = off == 0 ? b : Arrays.copyOfRange(b, off, off + len);
                int done = 0;
                while (done < len) {
                    byte[] rest = done == 0 ? buf : Arrays.copyOfRange(buf, done, len);
                    try {
                        done += (int) LibC.write(fd, rest, len - done);
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() != EINTR) {
                            throw new IOException("write fd " + fd + ": " + LibC.strerror(e.getErrorCode()));
                        }
                    }
                }
            }

            @Override
            public void close() {
                Fd.close(fd);
            }
        };
    }
}
