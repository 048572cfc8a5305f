package jocker.network.netlink;

import com.sun.jna.LastErrorException;
import jocker.sys.Fd;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

// tag::socket[]
/**
 * An rtnetlink socket: {@code socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)}.
 * It belongs to the network namespace of the thread that opened it, for
 * its whole life: a socket opened inside a container's namespace configures
 * that namespace (see NetNs). Each request asks for an acknowledgement, and
 * the kernel answers with an {@code nlmsgerr}: error 0, or a negative errno.
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 02000000;

    private final int fd;
    private int seq;

    public NetlinkSocket() {
        try {
            fd = LibC.socket(Rt.AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, Rt.NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw SysException.of(e, "socket(AF_NETLINK, NETLINK_ROUTE)");
        }
    }

    /** Sends a request and waits for its acknowledgement; what failed is named by what. */
    public void request(Message m, String what) {
        List<Reply> replies = exchange(m, Rt.NLM_F_ACK, what);
        if (!replies.isEmpty()) {
            throw new IllegalStateException(what + ": unexpected netlink reply type " + replies.get(0).type());
        }
    }

    /** Sends a request whose answer is one message (RTM_GETLINK by name ...). */
    public Reply get(Message m, String what) {
        List<Reply> replies = exchange(m, 0, what);
        if (replies.size() != 1) {
            throw new IllegalStateException(what + ": " + replies.size() + " replies");
        }
        return replies.get(0);
    }

    /** Sends a dump request (NLM_F_DUMP) and reads every message up to NLMSG_DONE. */
    public List<Reply> dump(Message m, String what) {
        return exchange(m, 0, what);
    }

    private List<Reply> exchange(Message m, int ackFlag, String what) {
        int mySeq = ++seq;
        byte[] out = m.bytes(mySeq, ackFlag);
        try {
            LibC.write(fd, out, out.length);
        } catch (LastErrorException e) {
            throw SysException.of(e, what);
        }
        List<Reply> replies = new ArrayList<>();
        byte[] in = new byte[65536];
        while (true) {
            long n;
            try {
                n = LibC.read(fd, in, in.length);
            } catch (LastErrorException e) {
                throw SysException.of(e, what);
            }
            ByteBuffer b = ByteBuffer.wrap(in, 0, (int) n).order(ByteOrder.nativeOrder());
            boolean more = false;
            while (b.remaining() >= Message.HEADER) {
                int start = b.position();
                int len = b.getInt(start);
                int type = Short.toUnsignedInt(b.getShort(start + 4));
                int flags = Short.toUnsignedInt(b.getShort(start + 6));
                int replySeq = b.getInt(start + 8);
                // a copy: the next read reuses the buffer
                ByteBuffer payload = ByteBuffer.wrap(java.util.Arrays.copyOfRange(in, start + Message.HEADER, start + len))
                        .order(ByteOrder.nativeOrder());
                b.position(start + align(len));
                if (replySeq != mySeq) {
                    continue; // an answer to an earlier request
                }
                if (type == Rt.NLMSG_ERROR) {
                    int errno = -payload.getInt(0);
                    if (errno != 0) {
                        throw new SysException(errno, what);
                    }
                    return replies; // the acknowledgement: done
                }
                if (type == Rt.NLMSG_DONE) {
                    return replies;
                }
                replies.add(new Reply(type, payload));
                more = (flags & Rt.NLM_F_MULTI) != 0;
            }
            if (!more && ackFlag == 0) {
                return replies;
            }
        }
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    @Override
    public void close() {
        Fd.close(fd);
    }
    // end::socket[]

    /** One message from the kernel: its type and what follows its nlmsghdr. */
    public record Reply(int type, ByteBuffer payload) {
        /** The attributes after a fixed header of headerLength bytes, by type (nested ones as their value). */
        public Map<Integer, ByteBuffer> attributes(int headerLength) {
            return parse(payload, headerLength);
        }

        /** The attributes inside a value (a nested attribute's), by type. */
        public static Map<Integer, ByteBuffer> parse(ByteBuffer value, int offset) {
            Map<Integer, ByteBuffer> out = new HashMap<>();
            int pos = offset;
            while (pos + 4 <= value.limit()) {
                int len = Short.toUnsignedInt(value.getShort(pos));
                int type = Short.toUnsignedInt(value.getShort(pos + 2)) & 0x3fff; // without the nested/byte-order bits
                if (len < 4 || pos + len > value.limit()) {
                    break;
                }
                out.put(type, value.duplicate().position(pos + 4).limit(pos + len).slice().order(ByteOrder.nativeOrder()));
                pos += align(len);
            }
            return out;
        }

        /** A NUL-terminated string value. */
        public static String string(ByteBuffer value) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < value.limit() && value.get(i) != 0; i++) {
                s.append((char) value.get(i));
            }
            return s.toString();
        }

        public static byte[] bytes(ByteBuffer value) {
            byte[] b = new byte[value.limit()];
            value.duplicate().position(0).get(b);
            return b;
        }
    }
}
