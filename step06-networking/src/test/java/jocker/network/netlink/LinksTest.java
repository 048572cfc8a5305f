package jocker.network.netlink;

import jocker.network.ipam.Ipv4;
import jocker.network.ipam.Subnet;
import jocker.sys.SysException;
import jocker.testing.RootTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rtnetlink from Java, in two network namespaces this test makes (with ip netns, the
 * test's tool; the code under test sends its own messages): what ip then shows is what was asked.
 */
@RootTest
class LinksTest {
    private final String a = "jk-lt-a-" + ProcessHandle.current().pid();
    private final String b = "jk-lt-b-" + ProcessHandle.current().pid();

    @BeforeEach
    void namespaces() throws Exception {
        sh("ip netns add " + a + " && ip netns add " + b);
    }

    @AfterEach
    void remove() throws Exception {
        sh("ip netns del " + a + "; ip netns del " + b + "; true");
    }

    @Test
    void bridgeVethAddressRouteAndAMoveIntoAnotherNamespace() throws Exception {
        Subnet subnet = Subnet.parse("10.250.3.0/24");
        NetNs.inside("/run/netns/" + a, links -> {
            links.addBridge("br-t", 1400);
            links.up(links.find("br-t").index());
            links.addAddress(links.find("br-t").index(), Ipv4.parse("10.250.3.1"), subnet);
            links.addVeth("vt-host", "vt-peer", 1400);
            links.setMaster(links.find("vt-host").index(), links.find("br-t").index());
            links.up(links.find("vt-host").index());
            int fd = NetNs.open("/run/netns/" + b);
            try {
                links.moveTo(links.find("vt-peer").index(), fd, "vt-peer");
            } finally {
                jocker.sys.Fd.close(fd);
            }
            assertNull(links.find("vt-peer"), "the peer left namespace a");
            assertEquals(1400, links.find("vt-host").mtu());
            assertEquals(links.find("br-t").index(), links.find("vt-host").master());
            return null;
        });
        NetNs.inside("/run/netns/" + b, links -> {
            int peer = links.find("vt-peer").index();
            links.rename(peer, "eth0", new byte[] {2, 0x42, 10, (byte) 250, 3, 2});
            links.up(links.find("lo").index());
            links.up(peer);
            links.addAddress(peer, Ipv4.parse("10.250.3.2"), subnet);
            links.addDefaultRoute(Ipv4.parse("10.250.3.1"), peer);
            assertTrue(links.routes().contains(new Links.Route(Subnet.parse("0.0.0.0/0"), peer)), links.routes()::toString);
            assertTrue(links.addresses().contains(new Subnet(Ipv4.parse("10.250.3.2"), 24)));
            return null;
        });
        String shown = sh("ip -n " + b + " -o addr show eth0; ip -n " + b + " link show eth0; ip -n " + b + " route");
        assertTrue(shown.contains("inet 10.250.3.2/24 brd 10.250.3.255"), shown);
        assertTrue(shown.contains("link/ether 02:42:0a:fa:03:02"), shown);
        assertTrue(shown.contains("default via 10.250.3.1 dev eth0"), shown);
        assertTrue(sh("ip netns exec " + b + " busybox ping -c 1 -W 2 10.250.3.1").contains("1 packets received"), "the bridge answers");
    }

    @Test
    void errorsNameTheRequestAndTheErrno() {
        NetNs.inside("/run/netns/" + a, links -> {
            assertNull(links.find("nothing-here"));
            links.addBridge("br-dup", 1500);
            SysException e = assertThrows(SysException.class, () -> links.addBridge("br-dup", 1500));
            assertEquals("ip link add br-dup type bridge: File exists", e.getMessage());
            List<String> names = links.list().stream().map(Links.Link::name).toList();
            assertTrue(names.contains("lo") && names.contains("br-dup"), names::toString);
            links.delete(links.find("br-dup").index());
            assertNull(links.find("br-dup"));
            return null;
        });
        SysException e = assertThrows(SysException.class, () -> NetNs.inside("/run/netns/none-such", l -> null));
        assertEquals("open /run/netns/none-such: No such file or directory", e.getMessage());
    }

    static String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
