package jocker.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jocker.network.netlink.NetNs;
import jocker.storage.TarExport;
import jocker.testing.Cmd;
import jocker.testing.RootTest;
import jocker.testing.Step04Cli;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static jocker.testing.Step04Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real networks, run by step06 as a user runs it: containers on bridges,
 * by name, isolated, published, sharing a stack, going out through NAT to
 * an "internet" the test makes in a network namespace of its own. Traffic
 * goes only to 127.0.0.1, to the bridges' addresses and to namespaces the
 * tests make; after each test nothing of it is left on the host.
 */
@RootTest
class NetworkingTest {
    private static final String STEP06 = "jocker.network.cli.Step06";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path root;
    private final List<Cmd> background = new ArrayList<>();

    @BeforeEach
    void importBusybox() throws IOException {
        root = tmp.resolve("root");
        Path tar = tmp.resolve("busybox.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            TarExport.write(TestRootfs.busybox(), out);
        }
        ok(step06("import", "-c", "CMD [\"sh\"]", "-c", "EXPOSE 80", tar.toString(), "bb"));
        Path www = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello from web\n");
    }

    @AfterEach
    void nothingLeftOnTheHost() throws Exception {
        try {
            for (Cmd c : background) {
                if (!c.isDone()) {
                    c.signal("TERM");
                    c.await(Duration.ofSeconds(30));
                }
            }
            assertEquals(List.of(), vethsOnHost(), "no veth is left on the host");
            assertEquals(List.of(), leases(), "no address is still leased");
            assertFalse(String.join("\n", Firewall.listed()).contains("DNAT"), "no DNAT rule is left: " + Firewall.listed());
            try (Stream<Path> s = Files.list(root.resolve("networks/endpoints"))) {
                assertEquals(List.of(), s.toList(), "no endpoint is left");
            }
        } finally {
            for (String n : ok(network("ls", "--format-names")).out().lines().toList()) {
                if (!List.of("bridge", "host", "none").contains(n)) {
                    ok(network("rm", n));
                }
            }
            ok(step06("cleanup"));
            TestRootfs.delete(root);
        }
        assertEquals(List.of(), Bridges.linkNames().stream()
                .filter(l -> l.startsWith("jk-") || l.equals(NetworkStore.DEFAULT_BRIDGE)).toList(), "no bridge is left");
        assertEquals(List.of(), Firewall.listed(), "no rule or chain of jocker's is left");
    }

    private Cmd.Result step06(String... args) throws IOException {
        return Step04Cli.run(STEP06, root, args);
    }

    /** network SUBCOMMAND ARGS...: --root goes to the subcommand; "ls --format-names" lists the names */
    private Cmd.Result network(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        boolean names = all.remove("--format-names");
        all.add(0, "network");
        all.add(2, "--root");
        all.add(3, root.toString());
        Cmd.Result r = Cmd.start(STEP06, all.toArray(new String[0])).await(Duration.ofMinutes(1));
        if (names && r.exitCode() == 0) {
            List<String> out = new ArrayList<>();
            r.out().lines().skip(1).forEach(l -> out.add(l.split("\\s+")[1]));
            return new Cmd.Result(0, String.join("\n", out), r.err());
        }
        return r;
    }

    /** A container running in the background; started once it printed "up". */
    private Cmd start(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("run", "--root", root.toString()));
        all.addAll(List.of(args));
        Cmd c = Cmd.start(STEP06, all.toArray(new String[0]));
        background.add(c);
        c.awaitOutput("up", Duration.ofSeconds(60));
        return c;
    }

    /** A web server container: busybox httpd on port 80, serving the test's www, ended by TERM. */
    private Cmd web(String... flags) throws Exception {
        List<String> all = new ArrayList<>(List.of(flags));
        all.addAll(List.of("-v", tmp.resolve("www") + ":/www:ro", "bb", "sh", "-c",
                "trap 'exit 0' TERM; httpd -p 80 -h /www && echo up; while true; do sleep 0.1; done"));
        return start(all.toArray(new String[0]));
    }

    private static List<String> vethsOnHost() {
        return Bridges.linkNames().stream().filter(l -> l.startsWith("vj") || l.startsWith("vp")).toList();
    }

    private List<String> leases() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root.resolve("networks"))) {
            for (Path p : s.toList()) {
                Path l = p.resolve("leases");
                if (Files.isDirectory(l)) {
                    try (Stream<Path> ls = Files.list(l)) {
                        ls.forEach(x -> out.add(p.getFileName() + "/" + x.getFileName()));
                    }
                }
            }
        }
        return out;
    }

    private JsonNode inspect(String network) throws IOException {
        return JSON.readTree(ok(network("inspect", network)).out()).get(0);
    }

    /** The address of a named container on a network, from network inspect. */
    private String ipOf(String network, String name) throws IOException {
        for (JsonNode c : inspect(network).get("Containers")) {
            if (c.get("Name").asText().equals(name)) {
                return c.get("IPv4Address").asText().replaceAll("/.*", "");
            }
        }
        throw new AssertionError(name + " is not on " + network);
    }

    private static String get(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 3000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return reply.substring(reply.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void containersOnAUserNetworkReachEachOtherByNameAndAlias() throws Exception {
        ok(network("create", "app"));
        web("--name", "web", "--network", "app", "--network-alias", "www");
        Cmd.Result r = ok(step06("run", "--rm", "--name", "client", "--network", "app", "bb", "sh", "-c",
                "ping -c 1 -W 2 web >/dev/null && echo ping ok; wget -qO- http://web/; wget -qO- http://www/;"
                        + " cat /etc/hostname /etc/resolv.conf; ip -o -4 addr show eth0"));
        assertTrue(r.out().startsWith("ping ok\nhello from web\nhello from web\n"), r.out());
        assertFalse(r.out().contains("nameserver 127."), "no loopback resolver: " + r.out());
        String subnet = inspect("app").get("IPAM").get("Config").get(0).get("Subnet").asText();
        assertTrue(subnet.startsWith("10.2"), subnet);
        String webIp = ipOf("app", "web");
        String[] octets = webIp.split("\\.");
        assertEquals("02:42:" + String.format("%02x:%02x:%02x:%02x", Integer.parseInt(octets[0]),
                Integer.parseInt(octets[1]), Integer.parseInt(octets[2]), Integer.parseInt(octets[3])),
                macOf("app", "web"), "the MAC is made from the address, as docker does");

        // web's hosts file named client while it ran, and no longer does
        Path webHosts = endpointFile("web", "hosts");
        assertFalse(Files.readString(webHosts).contains("client"), Files.readString(webHosts));
        Cmd second = start("--name", "second", "--network", "app", "bb", "sh", "-c",
                "trap 'exit 0' TERM; echo up; while true; do sleep 0.1; done");
        assertTrue(Files.readString(webHosts).contains("\tsecond "), Files.readString(webHosts));
        second.signal("TERM");
        ok(second.await(Duration.ofSeconds(30)));
        assertFalse(Files.readString(webHosts).contains("second"), Files.readString(webHosts));
    }

    private String macOf(String network, String name) throws IOException {
        for (JsonNode c : inspect(network).get("Containers")) {
            if (c.get("Name").asText().equals(name)) {
                return c.get("MacAddress").asText();
            }
        }
        throw new AssertionError(name);
    }

    /** A file of a running container's endpoint (its hosts ...), found by its name. */
    private Path endpointFile(String name, String file) throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("networks/endpoints"))) {
            for (Path d : s.toList()) {
                JsonNode e = JSON.readTree(d.resolve("endpoint.json").toFile());
                if (name.equals(e.path("name").asText())) {
                    return d.resolve(file);
                }
            }
        }
        throw new AssertionError("no endpoint for " + name);
    }

    private long initPid(String name) throws IOException {
        return JSON.readTree(endpointFile(name, "endpoint.json").toFile()).get("initPid").asLong();
    }

    @Test
    void twoUserNetworksCannotReachEachOther() throws Exception {
        ok(network("create", "--subnet", "10.252.1.0/24", "--gateway", "10.252.1.254", "--ip-range", "10.252.1.128/25", "a"));
        ok(network("create", "--subnet", "10.252.2.0/24", "b"));
        web("--name", "inb", "--network", "b", "--ip", "10.252.2.50");
        assertEquals("10.252.2.50", ipOf("b", "inb"));
        Cmd.Result r = step06("run", "--rm", "--network", "a", "bb", "sh", "-c",
                "ip -o -4 addr show eth0; ip route | grep default; nc -w 2 10.252.2.50 80 </dev/null || echo blocked");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("inet 10.252.1.128/24"), "the first address of the ip-range: " + r.out());
        assertTrue(r.out().contains("default via 10.252.1.254"), r.out());
        assertTrue(r.out().endsWith("blocked\n"), r.out());
        // the same from b itself reaches it
        assertEquals("hello from web\n", ok(step06("run", "--rm", "--network", "b", "bb", "wget", "-q", "-O-",
                "http://10.252.2.50/")).out());
        Cmd.Result taken = step06("run", "--rm", "--network", "b", "--ip", "10.252.2.50", "bb", "true");
        assertNotEquals(0, taken.exitCode());
        assertTrue(taken.err().contains("Address already in use"), taken.err());
    }

    @Test
    void publishedPortsAnswerOnLoopbackOnTheBridgePathAndToOtherContainers() throws Exception {
        web("--name", "pub", "-p", "80", "-p", "127.0.0.1::80");
        List<String> ports = ok(step06("port", "pub")).out().lines().toList();
        assertEquals(2, ports.size(), ports.toString());
        assertTrue(ports.get(0).matches("80/tcp -> (0\\.0\\.0\\.0|127\\.0\\.0\\.1):\\d+"), ports.toString());
        int any = Integer.parseInt(ok(step06("port", "pub", "80")).out().lines()
                .filter(l -> l.startsWith("0.0.0.0:")).findFirst().orElseThrow().split(":")[1]);
        int loopbackOnly = Integer.parseInt(ok(step06("port", "pub", "80/tcp")).out().lines()
                .filter(l -> l.startsWith("127.0.0.1:")).findFirst().orElseThrow().split(":")[1]);

        assertEquals("hello from web\n", get("127.0.0.1", any), "the userland proxy answers on 127.0.0.1");
        assertEquals("hello from web\n", get("127.0.0.1", loopbackOnly));
        // to the host's own address on the bridge: locally made, through OUTPUT's DNAT
        String gateway = inspect("bridge").get("IPAM").get("Config").get(0).get("Gateway").asText();
        long before = dnatPackets(any);
        assertEquals("hello from web\n", get(gateway, any));
        assertTrue(dnatPackets(any) > before, "the DNAT rule took the connection");
        // from another container, to the host's address
        assertEquals("hello from web\n", ok(step06("run", "--rm", "bb", "wget", "-q", "-O-",
                "http://" + gateway + ":" + any + "/")).out());
        Cmd.Result twice = step06("run", "--rm", "-p", "127.0.0.1:" + loopbackOnly + ":80", "bb", "true");
        assertNotEquals(0, twice.exitCode());
        assertTrue(twice.err().contains("Bind for 127.0.0.1:" + loopbackOnly + " failed: port is already allocated"),
                twice.err());
    }

    /** The packets the nat DNAT rule of a host port has taken. */
    private static long dnatPackets(int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("iptables", "-w", "-t", "nat", "-L", Firewall.CHAIN, "-n", "-v", "-x").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().filter(l -> l.contains("DNAT") && l.contains("dpt:" + port + " "))
                .mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[0])).sum();
    }

    @Test
    void aUdpPortIsRelayedBothWays() throws Exception {
        start("--name", "udp", "-p", "127.0.0.1::53/udp", "bb", "sh", "-c",
                "trap 'exit 0' TERM; echo up; while true; do sleep 0.1; done");
        int port = Integer.parseInt(ok(step06("port", "udp", "53/udp")).out().trim().replaceAll(".*:", ""));
        // the server: a socket the test makes inside the container's network namespace, that answers in upper case
        try (java.net.DatagramSocket inside = NetNs.call("/proc/" + initPid("udp") + "/ns/net", () -> {
            try {
                return new java.net.DatagramSocket(53);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }); java.net.DatagramSocket client = new java.net.DatagramSocket()) {
            Thread server = new Thread(() -> {
                try {
                    java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[100], 100);
                    inside.receive(p);
                    byte[] up = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII).toUpperCase()
                            .getBytes(StandardCharsets.US_ASCII);
                    inside.send(new java.net.DatagramPacket(up, up.length, p.getSocketAddress()));
                } catch (IOException e) {
                    // the client's timeout says so
                }
            });
            server.start();
            client.setSoTimeout(5000);
            byte[] hi = "hello over udp".getBytes(StandardCharsets.US_ASCII);
            client.send(new java.net.DatagramPacket(hi, hi.length, InetAddress.getByName("127.0.0.1"), port));
            java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[100], 100);
            client.receive(reply);
            assertEquals("HELLO OVER UDP", new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII));
            server.join(5000);
        }
    }

    @Test
    void publishAllPublishesTheImagesExposedPorts() throws Exception {
        web("--name", "all", "-P");
        String line = ok(step06("port", "all")).out().trim();
        assertTrue(line.matches("80/tcp -> 0\\.0\\.0\\.0:\\d+"), line);
        int port = Integer.parseInt(line.replaceAll(".*:", ""));
        assertEquals("hello from web\n", get("127.0.0.1", port));
    }

    @Test
    void containersReachAnInternetThroughNatWithTheHostsAddress() throws Exception {
        String ns = "jocker-inet-" + ProcessHandle.current().pid();
        String hostEnd = "jkih" + ProcessHandle.current().pid() % 100000, nsEnd = "jkin" + ProcessHandle.current().pid() % 100000;
        sh("ip netns add " + ns + " && ip link add " + hostEnd + " type veth peer name " + nsEnd
                + " && ip link set " + nsEnd + " netns " + ns + " && ip addr add 198.51.100.1/24 dev " + hostEnd
                + " && ip link set " + hostEnd + " up && ip -n " + ns + " addr add 198.51.100.2/24 dev " + nsEnd
                + " && ip -n " + ns + " link set " + nsEnd + " up && ip -n " + ns + " link set lo up");
        try (ServerSocket server = NetNs.call("/run/netns/" + ns, () -> {
            try {
                return new ServerSocket(8081, 10, InetAddress.getByName("198.51.100.2"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })) {
            AtomicReference<String> seen = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    seen.set(s.getInetAddress().getHostAddress());
                    InputStream in = s.getInputStream();
                    in.read(new byte[4096]);
                    s.getOutputStream().write(("HTTP/1.0 200 OK\r\n\r\nfrom the internet, you are "
                            + seen.get() + "\n").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the assertion below says what was missing
                }
            });
            t.start();
            ok(network("create", "out"));
            Cmd.Result r = ok(step06("run", "--rm", "--network", "out", "bb", "wget", "-q", "-O-",
                    "http://198.51.100.2:8081/"));
            t.join(10000);
            assertEquals("from the internet, you are 198.51.100.1\n", r.out(), "masqueraded to the host's address");
            assertEquals("198.51.100.1", seen.get());

            ok(network("create", "--internal", "closed"));
            Cmd.Result closed = step06("run", "--rm", "--network", "closed", "bb", "sh", "-c",
                    "ip route; nc -w 2 198.51.100.2 8081 </dev/null || echo no way out");
            assertFalse(closed.out().contains("default"), "an internal network has no default route: " + closed.out());
            assertTrue(closed.out().endsWith("no way out\n"), closed.out());
        } finally {
            sh("ip netns del " + ns + "; ip link del " + hostEnd + " 2>/dev/null; true");
        }
    }

    @Test
    void noneHostAndAnotherContainersStack() throws Exception {
        assertEquals("1: lo: UP\n", ok(step06("run", "--rm", "--network", "none", "bb", "sh", "-c",
                "ip -o link | sed 's/<.*UP.*>.*/UP/'")).out());
        String hostLinks = ok(step06("run", "--rm", "--network", "host", "bb", "sh", "-c", "ip -o link; cat /etc/hostname")).out();
        String defaultLink = Bridges.linkNames().stream().filter(l -> !l.equals("lo")).findFirst().orElseThrow();
        assertTrue(hostLinks.contains(": " + defaultLink + ":") || hostLinks.contains(": " + defaultLink + "@"), hostLinks);
        assertTrue(hostLinks.endsWith(Files.readString(Path.of("/proc/sys/kernel/hostname"))), hostLinks);

        web("--name", "stack");
        Cmd.Result shared = ok(step06("run", "--rm", "--network", "container:stack", "bb", "sh", "-c",
                "wget -qO- http://127.0.0.1/; ip -o -4 addr show eth0 | awk '{print $4}'; cat /etc/hostname"));
        String stackIp = ipOf("bridge", "stack");
        List<String> lines = shared.out().lines().toList();
        assertEquals("hello from web", lines.get(0), "its localhost is web's");
        assertTrue(lines.get(1).startsWith(stackIp + "/"), shared.out());
        assertEquals(Files.readString(endpointFile("stack", "hostname")).trim(), lines.get(2));

        Cmd.Result conflict = step06("run", "--rm", "--network", "container:stack", "-p", "80", "bb", "true");
        assertEquals("step06: conflicting options: port publishing and the container type network mode\n", conflict.err());
        Cmd.Result notRunning = step06("run", "--rm", "--network", "container:nosuch", "bb", "true");
        assertTrue(notRunning.err().contains("No such container: nosuch"), notRunning.err());
    }

    @Test
    void connectAndDisconnectARunningContainer() throws Exception {
        ok(network("create", "first"));
        ok(network("create", "second"));
        start("--name", "cc", "--network", "first", "bb", "sh", "-c", "trap 'exit 0' TERM; echo up; while true; do sleep 0.1; done");
        ok(network("connect", "--alias", "see", "second", "cc"));
        String netns = "/proc/" + initPid("cc") + "/ns/net";
        assertTrue((boolean) NetNs.<Boolean>inside(netns, l -> l.find("eth1") != null), "connect made eth1");
        Cmd.Result r = ok(step06("run", "--rm", "--network", "second", "bb", "sh", "-c", "ping -c 1 -W 2 see >/dev/null && echo ok"));
        assertEquals("ok\n", r.out());
        Cmd.Result again = network("connect", "second", "cc");
        assertTrue(again.err().contains("endpoint with name cc already exists in network second"), again.err());
        ok(network("disconnect", "second", "cc"));
        assertFalse((boolean) NetNs.<Boolean>inside(netns, l -> l.find("eth1") != null), "disconnect removed eth1");
        Cmd.Result inUse = network("rm", "first");
        assertTrue(inUse.err().contains("has active endpoints"), inUse.err());
    }

    // tag::fifty[]
    @Test
    void fiftyContainersTenAtATimeGetTheirOwnAddressesAndLeaveNothing() throws Exception {
        for (int batch = 0; batch < 5; batch++) {
            Path sync = Files.createDirectories(tmp.resolve("sync" + batch));
            List<Cmd> runs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                runs.add(Cmd.start(STEP06, "run", "--root", root.toString(), "--rm", "-p", "80", "-v", sync + ":/sync",
                        "bb", "sh", "-c", "touch /sync/$(hostname); while [ $(ls /sync | wc -l) -lt 10 ]; do sleep 0.1; done;"
                                + " ip -o -4 addr show eth0 | awk '{print $4}'"));
            }
            Set<String> addresses = new HashSet<>();
            for (Cmd c : runs) {
                addresses.add(ok(c.await(Duration.ofMinutes(2))).out().trim());
            }
            assertEquals(10, addresses.size(), "ten containers alive together, ten addresses: " + addresses);
        }
        assertEquals(List.of(), vethsOnHost());
        assertEquals(List.of(), leases());
    }
    // end::fifty[]

    @Test
    void aKilledRunsNetworkIsCollectedByTheNextCommand() throws Exception {
        Cmd killed = web("--name", "victim", "-p", "80");
        assertFalse(vethsOnHost().isEmpty());
        assertTrue(String.join("\n", Firewall.listed()).contains("DNAT"));
        killed.signal("KILL");
        killed.await(Duration.ofSeconds(30));
        ok(network("ls"));
        assertEquals(List.of(), vethsOnHost(), "the veth went with the namespace");
        assertEquals(List.of(), leases(), "the lease is back");
        assertFalse(String.join("\n", Firewall.listed()).contains("DNAT"), "the DNAT rule is gone");
    }

    private static void sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(command + ": " + out);
        }
    }
}
