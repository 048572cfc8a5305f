package jocker.network.ipam;

import jocker.sys.JockerException;

/** An IPv4 address as the 32-bit number it is (so that subnets are arithmetic). */
public record Ipv4(int bits) implements Comparable<Ipv4> {
    /** Parses a dotted quad: four numbers 0-255, no more, no less. */
    public static Ipv4 parse(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new JockerException("invalid IP address: " + s);
        }
        int bits = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                throw new JockerException("invalid IP address: " + s);
            }
            bits = bits << 8 | Integer.parseInt(p);
        }
        return new Ipv4(bits);
    }

    public static Ipv4 of(byte[] network) {
        return new Ipv4((network[0] & 0xff) << 24 | (network[1] & 0xff) << 16 | (network[2] & 0xff) << 8 | network[3] & 0xff);
    }

    /** The four bytes in network order, as netlink wants them. */
    public byte[] bytes() {
        return new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    }

    public Ipv4 plus(int n) {
        return new Ipv4(bits + n);
    }

    public boolean isLoopback() {
        return (bits >>> 24) == 127;
    }

    @Override
    public int compareTo(Ipv4 o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + (bits >>> 16 & 0xff) + "." + (bits >>> 8 & 0xff) + "." + (bits & 0xff);
    }
}
