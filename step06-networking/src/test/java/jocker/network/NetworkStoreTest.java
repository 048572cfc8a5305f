package jocker.network;

import jocker.network.ipam.Ipv4;
import jocker.network.ipam.Subnet;
import jocker.sys.JockerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Networks, leases and endpoints in the store. */
class NetworkStoreTest {
    @TempDir
    Path root;

    private NetworkStore.Network net(NetworkStore store, String name, String subnet, String range) throws Exception {
        Subnet s = Subnet.parse(subnet);
        return store.create(name, "bridge", s, s.first().plus(1), range == null ? null : Subnet.parse(range), false,
                Map.of(), null);
    }

    @Test
    void networksByNameIdAndPrefix() throws Exception {
        try (NetworkStore store = NetworkStore.open(root)) {
            NetworkStore.Network n = net(store, "app", "10.9.0.0/24", null);
            assertEquals(64, n.id().length());
            assertEquals("jk-" + n.id().substring(0, 12), n.bridge());
            assertEquals(n, store.find("app"));
            assertEquals(n, store.find(n.id().substring(0, 5)));
            assertEquals("network nope not found", assertThrows(JockerException.class, () -> store.find("nope")).getMessage());
            assertEquals("network with name app already exists",
                    assertThrows(JockerException.class, () -> net(store, "app", "10.8.0.0/24", null)).getMessage());
            assertTrue(assertThrows(JockerException.class, () -> net(store, "-bad", "10.7.0.0/24", null)).getMessage()
                    .startsWith("invalid network name \"-bad\""));
            store.remove(n);
            assertThrows(NetworkStore.NoSuchNetwork.class, () -> store.find("app"));
        }
    }

    @Test
    void leasesAreTheLowestFreeAddressesAndComeBack() throws Exception {
        try (NetworkStore store = NetworkStore.open(root)) {
            NetworkStore.Network n = net(store, "app", "10.9.0.0/24", null);
            assertEquals("10.9.0.2", store.lease(n, "a", null).toString(), "after the gateway");
            assertEquals("10.9.0.3", store.lease(n, "b", null).toString());
            assertEquals("10.9.0.10", store.lease(n, "c", Ipv4.parse("10.9.0.10")).toString());
            store.release(n.id(), "10.9.0.2", "someone-else");
            assertEquals(List.of("10.9.0.2", "10.9.0.3", "10.9.0.10"), store.leases(n), "only its holder gives it back");
            store.release(n.id(), "10.9.0.2", "a");
            assertEquals("10.9.0.2", store.lease(n, "d", null).toString(), "a released address is given again");
            assertEquals("Address already in use",
                    assertThrows(JockerException.class, () -> store.lease(n, "e", Ipv4.parse("10.9.0.10"))).getMessage());
            assertEquals("Address already in use",
                    assertThrows(JockerException.class, () -> store.lease(n, "e", Ipv4.parse("10.9.0.1"))).getMessage());
            assertEquals("no configured subnet or ip-range contain the IP address 10.10.0.5",
                    assertThrows(JockerException.class, () -> store.lease(n, "e", Ipv4.parse("10.10.0.5"))).getMessage());
        }
    }

    @Test
    void anIpRangeAndAFullNetwork() throws Exception {
        try (NetworkStore store = NetworkStore.open(root)) {
            NetworkStore.Network ranged = net(store, "r", "10.9.0.0/24", "10.9.0.128/25");
            assertEquals("10.9.0.128", store.lease(ranged, "a", null).toString());
            NetworkStore.Network tiny = net(store, "tiny", "10.8.0.0/30", null);
            assertEquals("10.8.0.2", store.lease(tiny, "a", null).toString(), "/30: .0 network, .1 gateway, .3 broadcast");
            assertTrue(assertThrows(JockerException.class, () -> store.lease(tiny, "b", null)).getMessage()
                    .startsWith("no available IPv4 addresses on this network's address pools: tiny"));
        }
    }

    @Test
    void concurrentLeasesNeverShareAnAddress() throws Exception {
        try (NetworkStore store = NetworkStore.open(root)) {
            net(store, "app", "10.9.0.0/24", null);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> got = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String container = "c" + i;
            got.add(pool.submit(() -> {
                try (NetworkStore store = NetworkStore.open(root)) {
                    return store.lease(store.find("app"), container, null).toString();
                }
            }));
        }
        List<String> all = Collections.synchronizedList(new ArrayList<>());
        for (Future<String> f : got) {
            all.add(f.get());
        }
        pool.shutdown();
        assertEquals(40, new HashSet<>(all).size(), all.toString());
    }

    @Test
    void endpointsAreSavedReadAndRemoved() throws Exception {
        try (NetworkStore store = NetworkStore.open(root)) {
            NetworkStore.Attachment a = new NetworkStore.Attachment("app", "id", "10.9.0.2", 24, "10.9.0.1",
                    "02:42:0a:09:00:02", "eth0", "vjabcdef01230", List.of("www"));
            NetworkStore.Endpoint e = new NetworkStore.Endpoint("abcdef0123456789", "web", "abcdef012345", "bridge", 1, 2,
                    0, 0, List.of(a), List.of(), null);
            store.save(e);
            assertEquals(e, store.endpoint("abcdef0123456789"));
            assertEquals(List.of(e), store.endpoints());
            store.removeEndpoint("abcdef0123456789");
            assertEquals(List.of(), store.endpoints());
        }
    }
}
