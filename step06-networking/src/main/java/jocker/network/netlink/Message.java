package jocker.network.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

// tag::message[]
/**
 * One netlink request, built the way the kernel reads it: a 16-byte
 * {@code nlmsghdr}, a fixed header of the message's family ({@code
 * ifinfomsg} for links, {@code ifaddrmsg} for addresses, {@code rtmsg} for
 * routes), then attributes. An attribute ({@code rtattr}) is a 2-byte length,
 * a 2-byte type and its value, padded to 4 bytes; a nested one holds
 * attributes in its value. All in the host's byte order, but for addresses,
 * which are in network order as always.
 *
 * <pre>
 *   nlmsghdr   len u32 | type u16 | flags u16 | seq u32 | pid u32
 *   ifinfomsg  family u8 | pad u8 | type u16 | index i32 | flags u32 | change u32
 *   rtattr     len u16 | type u16 | value ... | padding to 4
 * </pre>
 */
public final class Message {
    static final int HEADER = 16;

    private final ByteBuffer buf = ByteBuffer.allocate(8192).order(ByteOrder.nativeOrder());
    private final Deque<Integer> nests = new ArrayDeque<>();

    /** A request of this type (RTM_NEWLINK ...) with these flags (NLM_F_REQUEST is added). */
    public Message(int type, int flags) {
        buf.putInt(0); // length, set by bytes()
        buf.putShort((short) type);
        buf.putShort((short) (flags | Rt.NLM_F_REQUEST));
        buf.putInt(0); // sequence number, set by the socket
        buf.putInt(0); // port id: 0 is "the kernel"
    }

    /** The link header: family, device type, index (0: by name), flags and which of them to change. */
    public Message ifinfo(int index, int flags, int change) {
        buf.put((byte) Rt.AF_UNSPEC).put((byte) 0).putShort((short) 0);
        buf.putInt(index).putInt(flags).putInt(change);
        return this;
    }

    /** The address header: family, prefix length, flags, scope, interface index. */
    public Message ifaddr(int prefixLength, int index) {
        buf.put((byte) Rt.AF_INET).put((byte) prefixLength).put((byte) 0).put((byte) Rt.RT_SCOPE_UNIVERSE);
        buf.putInt(index);
        return this;
    }

    /** The route header: family, destination prefix length, table, protocol, scope, route type. */
    public Message rtmsg(int dstLength, int scope) {
        buf.put((byte) Rt.AF_INET).put((byte) dstLength).put((byte) 0).put((byte) 0);
        buf.put((byte) Rt.RT_TABLE_MAIN).put((byte) Rt.RTPROT_BOOT).put((byte) scope).put((byte) Rt.RTN_UNICAST);
        buf.putInt(0);
        return this;
    }

    /** The header of a dump that asks for everything of the IPv4 family: an rtmsg of zeros but the family. */
    public Message rtgen() {
        buf.put((byte) Rt.AF_INET).put(new byte[11]);
        return this;
    }

    /** An attribute whose value is these bytes. */
    public Message attr(int type, byte[] value) {
        buf.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        pad();
        return this;
    }

    public Message attr(int type, int value) {
        return attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    /** A string attribute, NUL-terminated as the kernel wants names. */
    public Message attr(int type, String value) {
        byte[] s = value.getBytes(StandardCharsets.US_ASCII);
        byte[] z = new byte[s.length + 1];
        System.arraycopy(s, 0, z, 0, s.length);
        return attr(type, z);
    }

    /** Opens a nested attribute: what follows, up to {@link #end}, is its value. */
    public Message nest(int type) {
        nests.push(buf.position());
        buf.putShort((short) 0).putShort((short) type);
        return this;
    }

    public Message end() {
        int start = nests.pop();
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** The bytes to send: length set, sequence number seq, and these flags added (NLM_F_ACK). */
    byte[] bytes(int seq, int moreFlags) {
        buf.putInt(0, buf.position());
        buf.putShort(6, (short) (buf.getShort(6) | moreFlags));
        buf.putInt(8, seq);
        byte[] out = new byte[buf.position()];
        buf.duplicate().flip().get(out);
        return out;
    }

    private void pad() {
        while (buf.position() % 4 != 0) {
            buf.put((byte) 0);
        }
    }
}
// end::message[]
