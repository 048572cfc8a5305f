package jocker.network.netlink;

import jocker.network.ipam.Ipv4;
import jocker.network.ipam.Subnet;
import jocker.sys.SysException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code ip link}, {@code ip addr} and {@code ip route} do, as
 * rtnetlink messages on one socket (of one network namespace). Each method
 * is one request; its name says which {@code ip} command it stands for.
 */
public final class Links implements AutoCloseable {
    private static final int IFINFO = 16;
    private static final int IFADDR = 8;
    private static final int RTMSG = 12;
    private static final int ENODEV = 19;

    private final NetlinkSocket socket;

    /** The links of the calling thread's network namespace. */
    public Links() {
        this.socket = new NetlinkSocket();
    }

    /** A link of this namespace: its index, name and MTU. */
    public record Link(int index, String name, int mtu, int master) {
    }

    /** The link named name, or null ({@code ip link show NAME}). */
    public Link find(String name) {
        try {
            return link(socket.get(new Message(Rt.RTM_GETLINK, 0).ifinfo(0, 0, 0).attr(Rt.IFLA_IFNAME, name),
                    "ip link show " + name));
        } catch (SysException e) {
            if (e.errno() == ENODEV) {
                return null;
            }
            throw e;
        }
    }

    /** The link with this index ({@code ip link show}, by index). */
    public Link get(int index) {
        return link(socket.get(new Message(Rt.RTM_GETLINK, 0).ifinfo(index, 0, 0), "ip link show index " + index));
    }

    /** Every link ({@code ip link}). */
    public List<Link> list() {
        List<Link> out = new ArrayList<>();
        for (NetlinkSocket.Reply r : socket.dump(new Message(Rt.RTM_GETLINK, Rt.NLM_F_DUMP).ifinfo(0, 0, 0), "ip link")) {
            if (r.type() == Rt.RTM_NEWLINK) {
                out.add(link(r));
            }
        }
        return out;
    }

    private static Link link(NetlinkSocket.Reply r) {
        Map<Integer, ByteBuffer> a = r.attributes(IFINFO);
        int mtu = a.containsKey(Rt.IFLA_MTU) ? a.get(Rt.IFLA_MTU).getInt(0) : 0;
        int master = a.containsKey(Rt.IFLA_MASTER) ? a.get(Rt.IFLA_MASTER).getInt(0) : 0;
        return new Link(r.payload().getInt(4), NetlinkSocket.Reply.string(a.get(Rt.IFLA_IFNAME)), mtu, master);
    }

    // tag::bridge[]
    /** {@code ip link add NAME mtu MTU type bridge}: a virtual switch. */
    public void addBridge(String name, int mtu) {
        socket.request(new Message(Rt.RTM_NEWLINK, Rt.NLM_F_CREATE | Rt.NLM_F_EXCL)
                .ifinfo(0, 0, 0)
                .attr(Rt.IFLA_IFNAME, name)
                .attr(Rt.IFLA_MTU, mtu)
                .nest(Rt.IFLA_LINKINFO).attr(Rt.IFLA_INFO_KIND, "bridge").end(),
                "ip link add " + name + " type bridge");
    }
    // end::bridge[]

    // tag::veth[]
    /**
     * {@code ip link add NAME mtu MTU type veth peer name PEER}: two ends of
     * one cable; what goes in one comes out of the other. The peer is
     * described inside the request, in a nested ifinfomsg of its own.
     */
    public void addVeth(String name, String peer, int mtu) {
        socket.request(new Message(Rt.RTM_NEWLINK, Rt.NLM_F_CREATE | Rt.NLM_F_EXCL)
                .ifinfo(0, 0, 0)
                .attr(Rt.IFLA_IFNAME, name)
                .attr(Rt.IFLA_MTU, mtu)
                .nest(Rt.IFLA_LINKINFO)
                    .attr(Rt.IFLA_INFO_KIND, "veth")
                    .nest(Rt.IFLA_INFO_DATA)
                        .nest(Rt.VETH_INFO_PEER).ifinfo(0, 0, 0).attr(Rt.IFLA_IFNAME, peer).attr(Rt.IFLA_MTU, mtu).end()
                    .end()
                .end(),
                "ip link add " + name + " type veth peer name " + peer);
    }

    /** {@code ip link set INDEX netns FD}: the link leaves this namespace for the one nsFd is open on. */
    public void moveTo(int index, int nsFd, String what) {
        socket.request(new Message(Rt.RTM_NEWLINK, 0).ifinfo(index, 0, 0).attr(Rt.IFLA_NET_NS_FD, nsFd),
                "ip link set " + what + " netns");
    }
    // end::veth[]

    /** {@code ip link set INDEX master BRIDGE}: plugs the link into the bridge. */
    public void setMaster(int index, int bridge) {
        socket.request(new Message(Rt.RTM_NEWLINK, 0).ifinfo(index, 0, 0).attr(Rt.IFLA_MASTER, bridge),
                "ip link set " + index + " master " + bridge);
    }

    /** {@code ip link set INDEX name NAME address MAC} (the link must be down to be renamed). */
    public void rename(int index, String name, byte[] mac) {
        Message m = new Message(Rt.RTM_NEWLINK, 0).ifinfo(index, 0, 0).attr(Rt.IFLA_IFNAME, name);
        if (mac != null) {
            m.attr(Rt.IFLA_ADDRESS, mac);
        }
        socket.request(m, "ip link set " + index + " name " + name);
    }

    /** {@code ip link set INDEX up}. */
    public void up(int index) {
        socket.request(new Message(Rt.RTM_NEWLINK, 0).ifinfo(index, Rt.IFF_UP, Rt.IFF_UP), "ip link set " + index + " up");
    }

    /** {@code ip link del INDEX} (a veth takes its peer with it). */
    public void delete(int index) {
        socket.request(new Message(Rt.RTM_DELLINK, 0).ifinfo(index, 0, 0), "ip link del " + index);
    }

    // tag::address[]
    /** {@code ip addr add IP/PREFIX brd BROADCAST dev INDEX}. */
    public void addAddress(int index, Ipv4 ip, Subnet subnet) {
        socket.request(new Message(Rt.RTM_NEWADDR, Rt.NLM_F_CREATE | Rt.NLM_F_EXCL)
                .ifaddr(subnet.prefix(), index)
                .attr(Rt.IFA_LOCAL, ip.bytes())
                .attr(Rt.IFA_ADDRESS, ip.bytes())
                .attr(Rt.IFA_BROADCAST, subnet.last().bytes()),
                "ip addr add " + ip + "/" + subnet.prefix());
    }

    /** {@code ip route add default via GATEWAY dev INDEX}. */
    public void addDefaultRoute(Ipv4 gateway, int index) {
        socket.request(new Message(Rt.RTM_NEWROUTE, Rt.NLM_F_CREATE | Rt.NLM_F_EXCL)
                .rtmsg(0, Rt.RT_SCOPE_UNIVERSE)
                .attr(Rt.RTA_GATEWAY, gateway.bytes())
                .attr(Rt.RTA_OIF, index),
                "ip route add default via " + gateway);
    }
    // end::address[]

    /** A route of the main table: where to (prefix 0: the default route), through which link. */
    public record Route(Subnet destination, int link) {
    }

    /** The IPv4 routes of the main table ({@code ip route}). */
    public List<Route> routes() {
        List<Route> out = new ArrayList<>();
        for (NetlinkSocket.Reply r : socket.dump(new Message(Rt.RTM_GETROUTE, Rt.NLM_F_DUMP).rtgen(), "ip route")) {
            ByteBuffer p = r.payload();
            int table = Byte.toUnsignedInt(p.get(4));
            Map<Integer, ByteBuffer> a = r.attributes(RTMSG);
            if (r.type() != Rt.RTM_NEWROUTE || p.get(0) != Rt.AF_INET
                    || (a.containsKey(Rt.RTA_TABLE) ? a.get(Rt.RTA_TABLE).getInt(0) : table) != Rt.RT_TABLE_MAIN) {
                continue;
            }
            Ipv4 dst = a.containsKey(Rt.RTA_DST) ? Ipv4.of(NetlinkSocket.Reply.bytes(a.get(Rt.RTA_DST))) : new Ipv4(0);
            int oif = a.containsKey(Rt.RTA_OIF) ? a.get(Rt.RTA_OIF).getInt(0) : 0;
            out.add(new Route(new Subnet(dst, Byte.toUnsignedInt(p.get(1))), oif));
        }
        return out;
    }

    /** The IPv4 addresses of every link, as subnets (address/prefix) ({@code ip addr}). */
    public List<Subnet> addresses() {
        List<Subnet> out = new ArrayList<>();
        for (NetlinkSocket.Reply r : socket.dump(new Message(Rt.RTM_GETADDR, Rt.NLM_F_DUMP).ifaddr(0, 0), "ip addr")) {
            Map<Integer, ByteBuffer> a = r.attributes(IFADDR);
            ByteBuffer local = a.containsKey(Rt.IFA_LOCAL) ? a.get(Rt.IFA_LOCAL) : a.get(Rt.IFA_ADDRESS);
            if (r.payload().get(0) == Rt.AF_INET && local != null) {
                out.add(new Subnet(Ipv4.of(NetlinkSocket.Reply.bytes(local)), Byte.toUnsignedInt(r.payload().get(1))));
            }
        }
        return out;
    }

    @Override
    public void close() {
        socket.close();
    }
}
