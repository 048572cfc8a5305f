package jocker.network.ipam;

import jocker.sys.JockerException;

/** An IPv4 subnet, ADDRESS/PREFIX, kept as docker keeps it: the network address (host bits cleared). */
public record Subnet(Ipv4 network, int prefix) {
    public Subnet {
        network = new Ipv4(network.bits() & mask(prefix));
    }

    /** Parses a CIDR (10.1.0.0/16); an address with host bits set is taken as its network, as docker does. */
    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new JockerException("invalid CIDR address: " + cidr);
        }
        String len = cidr.substring(slash + 1);
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit) || Integer.parseInt(len) > 32) {
            throw new JockerException("invalid CIDR address: " + cidr);
        }
        try {
            return new Subnet(Ipv4.parse(cidr.substring(0, slash)), Integer.parseInt(len));
        } catch (JockerException e) {
            throw new JockerException("invalid CIDR address: " + cidr);
        }
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public boolean contains(Ipv4 ip) {
        return (ip.bits() & mask(prefix)) == network.bits();
    }

    /** Whether the two share any address. */
    public boolean overlaps(Subnet o) {
        return contains(o.network) || o.contains(network);
    }

    /** Whether every address of o is in this one. */
    public boolean covers(Subnet o) {
        return prefix <= o.prefix && contains(o.network);
    }

    public Ipv4 first() {
        return network;
    }

    /** The broadcast address (all host bits set). */
    public Ipv4 last() {
        return new Ipv4(network.bits() | ~mask(prefix));
    }

    @Override
    public String toString() {
        return network + "/" + prefix;
    }
}
