package jocker.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

import java.nio.charset.StandardCharsets;

/**
 * The two things jocker does with Unix sockets through the kernel directly:
 * connect to one by path, and pass a file descriptor over it (SCM_RIGHTS,
 * see unix(7) and cmsg(3)). Passing fds is how a container's terminal
 * reaches the engine: the pty master goes over the --console-socket.
 */
public final class UnixSocket {
    private UnixSocket() {}

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int SUN_PATH_MAX = 108;

    /** A connected stream socket (close-on-exec), as a raw fd. */
    public static int connect(String path) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH_MAX) {
            throw new JockerException("socket path too long (" + name.length + " bytes, at most 107): " + path);
        }
        byte[] addr = new byte[2 + SUN_PATH_MAX]; // struct sockaddr_un
        addr[0] = AF_UNIX; // sa_family_t, little-endian
        System.arraycopy(name, 0, addr, 2, name.length);
        int fd;
        try {
            fd = LibC.socket(AF_UNIX, SOCK_STREAM | Fd.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw SysException.of(e, "socket(AF_UNIX)");
        }
        try {
            LibC.connect(fd, addr, 2 + name.length + 1);
            return fd;
        } catch (LastErrorException e) {
            Fd.close(fd);
            throw SysException.of(e, "connect to " + path);
        }
    }

    /** Two connected stream sockets (close-on-exec): a console socket with no path to clean up. */
    public static int[] pair() {
        int[] ends = new int[2];
        try {
            LibC.socketpair(AF_UNIX, SOCK_STREAM | Fd.O_CLOEXEC, 0, ends);
        } catch (LastErrorException e) {
            throw SysException.of(e, "socketpair(AF_UNIX)");
        }
        return ends;
    }

    /** Wakes a thread blocked reading the socket (closing it would not): its read sees the end. */
    public static void shutdown(int socket) {
        try {
            LibC.shutdown(socket, SHUT_RDWR);
        } catch (LastErrorException e) {
            // not connected any more: nobody is waiting on it
        }
    }

    private static final int SHUT_RDWR = 2;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;

    // tag::scm-rights[]
    /**
     * Sends fd over the socket, with text as the message's bytes (runc sends
     * the pty's name). The receiver gets its own descriptor of the same open
     * file: the kernel copies the reference, not the number.
     */
    public static void sendFd(int socket, int fd, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        Memory payload = new Memory(Math.max(1, data.length));
        payload.write(0, data, 0, data.length);
        Memory iov = new Memory(16);                  // struct iovec { base, len }
        iov.setPointer(0, payload);
        iov.setLong(8, data.length);
        Memory control = new Memory(24);              // CMSG_SPACE(sizeof(int))
        control.clear();
        control.setLong(0, 20);                       // cmsg_len = CMSG_LEN(sizeof(int))
        control.setInt(8, SOL_SOCKET);                // cmsg_level
        control.setInt(12, SCM_RIGHTS);               // cmsg_type
        control.setInt(16, fd);                       // the data: one fd
        Memory msg = new Memory(56);                  // struct msghdr
        msg.clear();
        msg.setPointer(16, iov);                      // msg_iov
        msg.setLong(24, 1);                           // msg_iovlen
        msg.setPointer(32, control);                  // msg_control
        msg.setLong(40, 24);                          // msg_controllen
        try {
            LibC.sendmsg(socket, msg, 0);
        } catch (LastErrorException e) {
            throw SysException.of(e, "send the terminal over the console socket");
        }
    }
    // end::scm-rights[]

    /**
     * The fd sent over the socket by {@link #sendFd} (close-on-exec here), or
     * -1 if the other end closed without sending one.
     */
    public static int receiveFd(int socket) {
        Memory payload = new Memory(256);             // the text: runc's pty name
        Memory iov = new Memory(16);
        iov.setPointer(0, payload);
        iov.setLong(8, payload.size());
        Memory control = new Memory(24);
        control.clear();
        Memory msg = new Memory(56);
        msg.clear();
        msg.setPointer(16, iov);
        msg.setLong(24, 1);
        msg.setPointer(32, control);
        msg.setLong(40, 24);
        long n;
        try {
            n = LibC.recvmsg(socket, msg, MSG_CMSG_CLOEXEC);
        } catch (LastErrorException e) {
            throw SysException.of(e, "receive the terminal over the console socket");
        }
        if (n <= 0) {
            return -1;
        }
        if (msg.getLong(40) < 20 || control.getInt(8) != SOL_SOCKET || control.getInt(12) != SCM_RIGHTS) {
            throw new JockerException("the console socket sent " + n + " bytes and no file descriptor");
        }
        return control.getInt(16);
    }
}
