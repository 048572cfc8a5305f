package jocker.network.netlink;

/** The numbers of rtnetlink (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h). */
public final class Rt {
    private Rt() {}

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_NETLINK = 16;
    public static final int NETLINK_ROUTE = 0;

    // message types
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_GETROUTE = 26;

    // flags of the header
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;

    // link attributes
    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_NET_NS_FD = 28;
    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    public static final int VETH_INFO_PEER = 1;
    public static final int IFF_UP = 0x1;

    // address and route attributes
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_BROADCAST = 4;
    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_TABLE = 15;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RTPROT_BOOT = 3;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RTN_UNICAST = 1;
}
