package jocker.network;

import jocker.network.ipam.Ipv4;
import jocker.network.ipam.Subnet;
import jocker.network.netlink.Links;
import jocker.network.netlink.NetNs;
import jocker.sys.Fd;
import jocker.sys.JockerException;
import jocker.sys.SysException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's side of a bridge network: the bridge itself, and a container's veth plugged into it. */
public final class Bridges {
    /** Where jocker's subnets are picked from, a /16 each: 10.200.0.0/16, 10.201.0.0/16 ... (not docker's 172.17-31). */
    static final int POOL_FIRST = 200, POOL_LAST = 254;
    private static final int EEXIST = 17;
    private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");

    private Bridges() {}

    /**
     * A /16 that nothing on the host uses: no address or route of the host
     * in it, no other network of jocker's on it.
     */
    public static Subnet freeSubnet(List<NetworkStore.Network> networks) {
        List<Subnet> used = new ArrayList<>();
        try (Links links = new Links()) {
            links.routes().stream().filter(r -> r.destination().prefix() > 0).forEach(r -> used.add(r.destination()));
            used.addAll(links.addresses());
        }
        for (NetworkStore.Network n : networks) {
            if (n.subnet() != null) {
                used.add(n.subnetRange());
            }
        }
        for (int second = POOL_FIRST; second <= POOL_LAST; second++) {
            Subnet candidate = new Subnet(new Ipv4(10 << 24 | second << 16), 16);
            if (used.stream().noneMatch(candidate::overlaps)) {
                return candidate;
            }
        }
        throw new JockerException("could not find an available, non-overlapping IPv4 address pool among the"
                + " defaults to assign to the network");
    }

    /** The MTU of the link the host's default route leaves by (1500 if it has none): a container's packets go there. */
    public static int hostMtu() {
        try (Links links = new Links()) {
            for (Links.Route r : links.routes()) {
                if (r.destination().prefix() == 0 && r.link() != 0) {
                    Links.Link l = links.get(r.link());
                    if (l != null && l.mtu() > 0) {
                        return l.mtu();
                    }
                }
            }
        }
        return 1500;
    }

    // tag::ensure[]
    /**
     * The network's bridge, made if missing: the link, the gateway's address
     * on it, up; IPv4 forwarding on; the network's rules in place (all of
     * them checked only when the bridge is new or its last rule is missing:
     * each iptables call costs milliseconds).
     */
    public static void ensure(NetworkStore.Network n) {
        boolean made = false;
        try (Links links = new Links()) {
            Links.Link br = links.find(n.bridge());
            if (br == null) {
                made = true;
                links.addBridge(n.bridge(), hostMtu());
                br = links.find(n.bridge());
            }
            try {
                links.addAddress(br.index(), n.gatewayIp(), n.subnetRange());
            } catch (SysException e) {
                if (e.errno() != EEXIST) { // it has it: the usual case
                    throw e;
                }
            }
            links.up(br.index());
        }
        ipForward();
        List<Firewall.Rule> rules = Firewall.networkRules(n);
        if (made || !Firewall.exists(rules.get(rules.size() - 1))) {
            Firewall.add(rules);
        }
    }
    // end::ensure[]

    /**
     * The bridge and the network's rules, gone, unless a veth is still
     * plugged into the bridge (a container of another data root can be on
     * jocker0 too): then it is left, and false returned.
     */
    public static boolean remove(NetworkStore.Network n) {
        if (!n.bridged()) {
            return true;
        }
        try (Links links = new Links()) {
            Links.Link br = links.find(n.bridge());
            if (br != null) {
                if (links.list().stream().anyMatch(l -> l.master() == br.index())) {
                    return false;
                }
                links.delete(br.index());
            }
        }
        Firewall.remove(Firewall.networkRules(n));
        return true;
    }

    /** Turns on IPv4 forwarding, as docker does: without it no packet goes from a bridge to another link. */
    static void ipForward() {
        try {
            if (!Files.readString(IP_FORWARD).trim().equals("1")) {
                Files.writeString(IP_FORWARD, "1\n");
            }
        } catch (IOException e) {
            throw new JockerException("cannot turn on IPv4 forwarding (" + IP_FORWARD + "): " + e.getMessage());
        }
    }

    /** docker's MAC for an address: 02:42 and the four bytes of the IP. */
    public static byte[] mac(Ipv4 ip) {
        byte[] b = ip.bytes();
        return new byte[] {0x02, 0x42, b[0], b[1], b[2], b[3]};
    }

    public static String macString(Ipv4 ip) {
        StringBuilder s = new StringBuilder();
        for (byte x : mac(ip)) {
            s.append(s.length() == 0 ? "" : ":").append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }

    // tag::plug[]
    /**
     * One end of a new veth pair plugged into the bridge on the host; the
     * other moved into the container's namespace (the init is waiting: none
     * of its code runs yet), renamed to eth0, given the MAC, the address,
     * the default route through the gateway, and up, with lo.
     */
    public static void plug(NetworkStore.Attachment a, String bridge, String netns, boolean defaultRoute) {
        int mtu = hostMtu();
        String peer = "vp" + a.hostVeth().substring(2);
        Ipv4 ip = Ipv4.parse(a.ip());
        Subnet subnet = new Subnet(ip, a.prefix());
        try (Links links = new Links()) {
            links.addVeth(a.hostVeth(), peer, mtu);
            Links.Link br = links.find(bridge);
            if (br == null) {
                throw new JockerException("bridge " + bridge + " is gone");
            }
            links.setMaster(links.find(a.hostVeth()).index(), br.index());
            links.up(links.find(a.hostVeth()).index());
            int fd = NetNs.open(netns);
            try {
                links.moveTo(links.find(peer).index(), fd, peer);
            } finally {
                Fd.close(fd);
            }
        }
        NetNs.inside(netns, links -> {
            int index = links.find(peer).index();
            links.rename(index, a.iface(), mac(ip));
            links.addAddress(index, ip, subnet);
            links.up(index);
            links.up(links.find("lo").index());
            if (defaultRoute && a.gateway() != null) {
                links.addDefaultRoute(Ipv4.parse(a.gateway()), index);
            }
            return null;
        });
    }
    // end::plug[]

    /** Brings lo up in a namespace (--network none has lo, up, and nothing else). */
    public static void loopbackUp(String netns) {
        NetNs.inside(netns, links -> {
            links.up(links.find("lo").index());
            return null;
        });
    }

    /** The host's end of a veth, deleted if still there (its peer goes with it; with the namespace, both are gone). */
    public static void unplug(String hostVeth) {
        try (Links links = new Links()) {
            Links.Link l = links.find(hostVeth);
            if (l != null) {
                try {
                    links.delete(l.index());
                } catch (SysException e) {
                    if (e.errno() != 19) { // ENODEV: the namespace went with it just now
                        throw e;
                    }
                }
            }
        }
    }

    /** jocker's bridges on the host (jocker0, jk-*) that no link is plugged into. */
    static List<String> idleBridges() {
        try (Links links = new Links()) {
            List<Links.Link> all = links.list();
            List<String> out = new ArrayList<>();
            for (Links.Link l : all) {
                if ((l.name().equals(NetworkStore.DEFAULT_BRIDGE) || l.name().startsWith("jk-"))
                        && all.stream().noneMatch(o -> o.master() == l.index())) {
                    out.add(l.name());
                }
            }
            return out;
        }
    }

    static void deleteLink(String name) {
        try (Links links = new Links()) {
            Links.Link l = links.find(name);
            if (l != null) {
                links.delete(l.index());
            }
        }
    }

    /** The names of the host's links, for the leftover checks. */
    public static List<String> linkNames() {
        try (Links links = new Links()) {
            return links.list().stream().map(Links.Link::name).toList();
        }
    }
}
