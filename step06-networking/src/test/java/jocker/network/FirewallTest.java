package jocker.network;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rules jocker asks iptables for, word for word. */
class FirewallTest {
    private static NetworkStore.Network net(boolean internal) {
        return new NetworkStore.Network("app", "0123456789abcdef", "bridge", "10.201.0.0/16", "10.201.0.1", null, internal,
                Map.of(), "now", "jk-0123456789ab");
    }

    private static List<String> words(List<Firewall.Rule> rules) {
        return rules.stream().map(r -> r.table() + " " + r.chain() + " " + String.join(" ", r.spec())).toList();
    }

    @Test
    void aNetworkIsMasqueradedAndIsolated() {
        assertEquals(List.of(
                "nat POSTROUTING -s 10.201.0.0/16 ! -o jk-0123456789ab -j MASQUERADE",
                "filter JOCKER-ISOLATION-STAGE-1 -i jk-0123456789ab ! -o jk-0123456789ab -j JOCKER-ISOLATION-STAGE-2",
                "filter JOCKER-ISOLATION-STAGE-2 -o jk-0123456789ab -j DROP",
                "filter FORWARD -i jk-0123456789ab -j ACCEPT",
                "filter FORWARD -o jk-0123456789ab -j ACCEPT",
                "nat JOCKER -i jk-0123456789ab -j RETURN"), words(Firewall.networkRules(net(false))));
    }

    @Test
    void anInternalNetworkHasNoWayOut() {
        assertEquals(List.of(
                "filter JOCKER-ISOLATION-STAGE-1 -i jk-0123456789ab ! -d 10.201.0.0/16 -j DROP",
                "filter JOCKER-ISOLATION-STAGE-1 -o jk-0123456789ab ! -s 10.201.0.0/16 -j DROP",
                "nat JOCKER -i jk-0123456789ab -j RETURN"), words(Firewall.networkRules(net(true))));
    }

    @Test
    void aPublishedPortIsDnatAndAccepted() {
        assertEquals(List.of(
                "nat JOCKER ! -i jocker0 -p tcp --dport 8080 -j DNAT --to-destination 10.200.0.2:80",
                "filter JOCKER -d 10.200.0.2/32 ! -i jocker0 -o jocker0 -p tcp --dport 80 -j ACCEPT"),
                words(Firewall.portRules(new NetworkStore.PortBinding("tcp", "0.0.0.0", 8080, 80, "10.200.0.2", "jocker0"))));
        assertEquals("nat JOCKER ! -i jocker0 -p udp -d 127.0.0.1/32 --dport 53 -j DNAT --to-destination 10.200.0.2:5353",
                words(Firewall.portRules(new NetworkStore.PortBinding("udp", "127.0.0.1", 53, 5353, "10.200.0.2", "jocker0")))
                        .get(0));
    }
}
