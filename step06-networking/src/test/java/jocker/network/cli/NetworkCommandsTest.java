package jocker.network.cli;

import jocker.storage.TarExport;
import jocker.testing.Cmd;
import jocker.testing.RootTest;
import jocker.testing.Step04Cli;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static jocker.testing.Step04Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network commands' outputs and errors, and run's refusals, as docker's; a store of the test's own. */
@RootTest
class NetworkCommandsTest {
    private static final String STEP06 = "jocker.network.cli.Step06";

    @TempDir
    Path tmp;

    @AfterEach
    void removeTheStore() throws IOException {
        ok(Step04Cli.run(STEP06, tmp.resolve("root"), "cleanup"));
        TestRootfs.delete(tmp.resolve("root"));
    }

    private Cmd.Result network(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(0, "network");
        all.add(2, "--root");
        all.add(3, tmp.resolve("root").toString());
        return Cmd.start(STEP06, all.toArray(new String[0])).await(Duration.ofMinutes(1));
    }

    private static void fails(Cmd.Result r, String err) {
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals(err + "\n", r.err().replaceAll("(?m)^jocker: the default network.*\n", ""));
    }

    @Test
    void createListInspectRemove() throws IOException {
        Cmd.Result first = network("ls");
        assertTrue(first.err().matches("jocker: the default network \"bridge\" is 10\\.2\\d\\d\\.0\\.0/16 on jocker0"
                + " \\(free on this host\\)\n"), "said once, at first use: " + first.err());
        assertEquals("", network("ls").err());
        String id = ok(network("create", "--subnet", "10.253.0.0/24", "--label", "team=a", "net10")).out().trim();
        assertEquals(64, id.length());
        ok(network("create", "--subnet", "10.253.1.0/24", "net9"));
        List<String> ls = ok(network("ls")).out().lines().toList();
        assertEquals("NETWORK ID     NAME      DRIVER    SCOPE", ls.get(0));
        assertEquals(List.of("bridge", "host", "net9", "net10", "none"),
                ls.stream().skip(1).map(l -> l.split("\\s+")[1]).toList(), "docker's natural order of names");
        assertTrue(ls.contains(id.substring(0, 12) + "   net10     bridge    local"), ls.toString());
        assertEquals(id.substring(0, 12) + "\n", ok(network("ls", "-q", "-f", "label=team=a")).out());
        String inspect = ok(network("inspect", "net10")).out();
        assertTrue(inspect.contains("\"Subnet\": \"10.253.0.0/24\",\n                    \"Gateway\": \"10.253.0.1\""), inspect);
        assertTrue(inspect.contains("\"Labels\": {\n            \"team\": \"a\"\n        }"), inspect);
        Cmd.Result missing = network("inspect", "net10", "nosuch");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.out().startsWith("[\n    {\n        \"Name\": \"net10\""), "the found ones are shown");
        assertEquals("Error: No such network: nosuch\n", missing.err());
        assertEquals("net9\nnet10\n", ok(network("rm", "net9", "net10")).out());
        fails(network("rm", "net9"), "Error: network net9 not found");
        assertEquals("", ok(network("rm", "-f", "net9")).err());
    }

    @Test
    void createRefusesWhatDockerRefuses() throws IOException {
        ok(network("create", "--subnet", "10.253.0.0/24", "taken"));
        fails(network("create", "taken"), "Error: network with name taken already exists");
        fails(network("create", "--subnet", "10.253.0.128/25", "over"),
                "Error: invalid pool request: Pool overlaps with other one on this address space");
        fails(network("create", "--subnet", "10.254.0.0/24", "--gateway", "10.9.0.1", "gw"),
                "Error: no matching subnet for gateway 10.9.0.1");
        fails(network("create", "--subnet", "10.254.0.0/24", "--ip-range", "10.254.1.0/25", "rg"),
                "Error: no matching subnet for range 10.254.1.0/25");
        fails(network("create", "--gateway", "10.9.0.1", "nosub"), "Error: every ip-range or gateway must have a corresponding subnet");
        fails(network("create", "--subnet", "10.254.0.0/33", "bad"), "Error: invalid CIDR address: 10.254.0.0/33");
        fails(network("create", "-d", "overlay", "ov"), "Error: plugin \"overlay\" not found");
        fails(network("create", "-d", "host", "h2"), "Error: only one instance of \"host\" network is allowed");
        fails(network("rm", "bridge"), "Error: bridge is a pre-defined network and cannot be removed");
        ok(network("rm", "taken"));
    }

    @Test
    void aBundleThatSharesTheHostsStackIsLeftAsItIs() throws Exception {
        Path bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode spec = json.readTree(ok(Cmd.start(STEP06, "spec", "--rootfs", "rootfs", "ip", "-o", "link")
                .await(Duration.ofMinutes(1))).out());
        com.fasterxml.jackson.databind.node.ArrayNode namespaces = (com.fasterxml.jackson.databind.node.ArrayNode)
                spec.get("linux").get("namespaces");
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            if (namespaces.get(i).get("type").asText().equals("network")) {
                namespaces.remove(i);
            }
        }
        Files.writeString(bundle.resolve("config.json"), json.writeValueAsString(spec));
        TestRootfs.copy(bundle);
        Cmd.Result r = ok(Step04Cli.run(STEP06, tmp.resolve("root"), "run", "--bundle", bundle.toString()));
        String hostLink = jocker.network.Bridges.linkNames().stream().filter(l -> !l.equals("lo")).findFirst().orElseThrow();
        assertTrue(r.out().contains(": " + hostLink + ":") || r.out().contains(": " + hostLink + "@"), r.out());
        Cmd.Result refused = Step04Cli.run(STEP06, tmp.resolve("root"), "run", "--network", "none", "--bundle", bundle.toString());
        assertEquals(125, refused.exitCode(), refused::toString);
        assertTrue(refused.err().endsWith("the spec has no network namespace of its own: --network, --ip and -p cannot apply\n"),
                refused.err());
        TestRootfs.delete(bundle);
    }

    @Test
    void runRefusesWhatDockerRefuses() throws IOException {
        Path root = tmp.resolve("root");
        Path tar = tmp.resolve("busybox.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            TarExport.write(TestRootfs.busybox(), out);
        }
        ok(Step04Cli.run(STEP06, root, "import", tar.toString(), "bb"));
        String[][] cases = {
                {"--ip", "10.200.0.9", "user specified IP address is supported on user defined networks only"},
                {"--network-alias", "x", "network-scoped alias is supported only for containers in user defined networks"},
                {"--network", "nosuch", "network nosuch not found"},
                {"-p", "80/tcpx", "invalid proto: tcpx"},
                {"--add-host", "nocolon", "bad format for add-host: \"nocolon\""},
                {"--add-host", "db:1.2.3", "invalid IP address in add-host: \"1.2.3\""},
                {"--network", "container:", "invalid container format container:<name|id>"},
        };
        for (String[] c : cases) {
            Cmd.Result r = Step04Cli.run(STEP06, root, "run", "--rm", c[0], c[1], "bb", "true");
            assertEquals(125, r.exitCode(), r::toString);
            assertTrue(r.err().endsWith("step06: " + c[2] + "\n"), r.toString());
        }
        Cmd.Result both = Step04Cli.run(STEP06, root, "run", "--rm", "--network", "host", "--network", "bridge", "bb", "true");
        assertTrue(both.err().endsWith("conflicting options: cannot attach both user-defined and non-user-defined network-modes\n"),
                both.toString());
        Cmd.Result host = ok(Step04Cli.run(STEP06, root, "run", "--rm", "--network", "host", "-p", "80", "bb", "true"));
        assertTrue(host.err().contains("WARNING: Published ports are discarded when using host network mode"), host.err());
        try (var s = Files.list(root.resolve("networks/endpoints"))) {
            assertEquals(List.of(), s.toList(), "a refused run leaves no endpoint");
        }
    }
}
