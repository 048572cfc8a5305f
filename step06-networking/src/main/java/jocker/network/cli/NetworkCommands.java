package jocker.network.cli;

import jocker.cgroups.cli.CgroupCleanupCommand;
import jocker.cli.RootOption;
import jocker.network.Bridges;
import jocker.network.NetworkStore;
import jocker.network.Networking;
import jocker.network.ipam.Ipv4;
import jocker.network.ipam.Subnet;
import jocker.storage.ContainerRecord;
import jocker.storage.ContainerStore;
import jocker.sys.JockerException;
import jocker.volumes.cli.DockerJson;
import jocker.volumes.cli.VolumeCommands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** docker's network commands: network create, ls, inspect, rm, prune, connect, disconnect; port; cleanup. */
public final class NetworkCommands {
    private NetworkCommands() {}

    @Command(name = "network", description = "Manage networks.",
            subcommands = {Create.class, Ls.class, Inspect.class, Remove.class, Prune.class, Connect.class, Disconnect.class})
    public static class Network implements Callable<Integer> {
        @picocli.CommandLine.Spec
        CommandSpec self;

        @Override
        public Integer call() {
            self.commandLine().usage(self.commandLine().getOut());
            return 0;
        }
    }

    /** What every network command shares: --root, the store (locked, with dead runs collected), "Error: ..." and 1. */
    abstract static class NetworkCommand implements Callable<Integer> {
        @picocli.CommandLine.Spec
        CommandSpec self;

        @Option(names = "--help", usageHelp = true, description = "Show this help.")
        boolean help;

        @Mixin
        RootOption root;

        abstract int run(NetworkStore store) throws IOException;

        @Override
        public Integer call() throws IOException {
            try (NetworkStore store = NetworkStore.open(root.dataRoot())) {
                Networking.collect(store);
                Networking.ensureDefaults(store, self.commandLine().getErr());
                return run(store);
            } catch (JockerException e) {
                return error(e.getMessage());
            }
        }

        PrintWriter out() {
            return self.commandLine().getOut();
        }

        int error(String message) {
            self.commandLine().getErr().println("Error: " + message);
            self.commandLine().getErr().flush();
            return 1;
        }

        ContainerRecord container(String ref) throws IOException {
            try {
                return new ContainerStore(root.dataRoot()).find(ref);
            } catch (JockerException e) {
                throw new JockerException("No such container: " + ref);
            }
        }
    }

    // tag::create[]
    @Command(name = "create", description = "Create a network (a bridge of its own, a subnet, isolation from the others).")
    public static class Create extends NetworkCommand {
        @Parameters(paramLabel = "NETWORK")
        String name;

        @Option(names = {"-d", "--driver"}, paramLabel = "DRIVER", description = "bridge (the only driver here).")
        String driver = "bridge";

        @Option(names = "--subnet", paramLabel = "CIDR", description = "The subnet (default: a free /16 of 10.200-254).")
        String subnet;

        @Option(names = "--gateway", paramLabel = "IPv4", description = "The bridge's address (default: the subnet's first).")
        String gateway;

        @Option(names = "--ip-range", paramLabel = "CIDR", description = "Give containers addresses from this part of the subnet.")
        String ipRange;

        @Option(names = "--internal", description = "No way out: no masquerading, nothing forwarded past the bridge.")
        boolean internal;

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label. Repeatable.")
        List<String> labels = new ArrayList<>();

        @Override
        int run(NetworkStore store) throws IOException {
            if (driver.equals("host") || driver.equals("null")) {
                throw new JockerException("only one instance of \"" + driver + "\" network is allowed");
            }
            if (!driver.equals("bridge")) {
                throw new JockerException("plugin \"" + driver + "\" not found");
            }
            if (subnet == null && (gateway != null || ipRange != null)) {
                throw new JockerException("every ip-range or gateway must have a corresponding subnet");
            }
            Map<String, String> labelMap = VolumeCommands.keyValues(labels, "--label");
            Subnet s = subnet == null ? null : Subnet.parse(subnet);
            Ipv4 gw = gateway == null ? null : Ipv4.parse(gateway);
            Subnet range = ipRange == null ? null : Subnet.parse(ipRange);
            List<NetworkStore.Network> all = store.list();
            if (s == null) {
                s = Bridges.freeSubnet(all);
            } else {
                for (NetworkStore.Network n : all) {
                    if (n.subnet() != null && n.subnetRange().overlaps(s)) {
                        throw new JockerException("invalid pool request: Pool overlaps with other one on this address space");
                    }
                }
            }
            if (gw != null && !s.contains(gw)) {
                throw new JockerException("no matching subnet for gateway " + gw);
            }
            if (range != null && !s.covers(range)) {
                throw new JockerException("no matching subnet for range " + range);
            }
            if (s.prefix() > 30) {
                throw new JockerException("invalid pool request: subnet " + s + " has no room for containers");
            }
            NetworkStore.Network n = store.create(name, "bridge", s, gw != null ? gw : s.first().plus(1), range, internal,
                    labelMap, null);
            out().println(n.id());
            return 0;
        }
    }
    // end::create[]

    @Command(name = "ls", aliases = "list", description = "List networks.")
    public static class Ls extends NetworkCommand {
        @Option(names = {"-q", "--quiet"}, description = "Only the ids.")
        boolean quiet;

        @Option(names = "--no-trunc", description = "Full ids.")
        boolean noTrunc;

        @Option(names = {"-f", "--filter"}, paramLabel = "KEY=VALUE", description = "name=PART, driver=D, label=K[=V], id=PREFIX. Repeatable.")
        List<String> filters = new ArrayList<>();

        @Override
        int run(NetworkStore store) throws IOException {
            List<NetworkStore.Network> shown = new ArrayList<>();
            for (NetworkStore.Network n : store.list()) {
                if (matches(n, filters)) {
                    shown.add(n);
                }
            }
            shown.sort((a, b) -> VolumeCommands.natural(a.name(), b.name()));
            if (quiet) {
                shown.forEach(n -> out().println(id(n)));
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NETWORK ID", "NAME", "DRIVER", "SCOPE"});
            shown.forEach(n -> rows.add(new String[] {id(n), n.name(), n.driver(), "local"}));
            table(out(), rows);
            return 0;
        }

        private String id(NetworkStore.Network n) {
            return noTrunc ? n.id() : n.id().substring(0, 12);
        }
    }

    /** docker's tabwriter: each column as wide as its widest cell plus 3, and at least 10; the last not padded. */
    static void table(PrintWriter out, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns - 1; i++) {
                width[i] = Math.max(width[i], Math.max(10, r[i].length() + 3));
            }
        }
        for (String[] r : rows) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                s.append(r[i]);
                if (i < columns - 1) {
                    s.append(" ".repeat(width[i] - r[i].length()));
                }
            }
            out.println(s);
        }
    }

    /** docker's network filters: one key given twice matches either value; different keys must all match. */
    static boolean matches(NetworkStore.Network n, List<String> filters) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new JockerException("bad format of filter (expected name=value)");
            }
            byKey.computeIfAbsent(f.substring(0, eq).toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>())
                    .add(f.substring(eq + 1));
        }
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            boolean any = false;
            for (String value : e.getValue()) {
                any |= switch (e.getKey()) {
                    case "name" -> n.name().contains(value);
                    case "id" -> n.id().startsWith(value);
                    case "driver" -> n.driver().equals(value);
                    case "scope" -> value.equals("local");
                    case "type" -> value.equals(n.predefined() ? "builtin" : "custom");
                    case "label" -> {
                        int eq = value.indexOf('=');
                        yield eq < 0 ? n.labels().containsKey(value)
                                : value.substring(eq + 1).equals(n.labels().get(value.substring(0, eq)));
                    }
                    default -> throw new JockerException("invalid filter '" + e.getKey() + "'");
                };
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    // tag::inspect[]
    @Command(name = "inspect", description = "Show networks as JSON, with the containers on them.")
    public static class Inspect extends NetworkCommand {
        @Parameters(paramLabel = "NETWORK", arity = "1..*")
        List<String> refs;

        @Override
        int run(NetworkStore store) throws IOException {
            List<Map<String, Object>> found = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String ref : refs) {
                try {
                    found.add(json(store, store.find(ref)));
                } catch (NetworkStore.NoSuchNetwork e) {
                    missing.add(ref);
                }
            }
            out().println(DockerJson.write(found));
            out().flush();
            int code = 0;
            for (String ref : missing) {
                code = error("No such network: " + ref);
            }
            return code;
        }
    }

    /** A network in docker's inspect fields. */
    static Map<String, Object> json(NetworkStore store, NetworkStore.Network n) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Id", n.id());
        m.put("Created", n.created());
        m.put("Scope", "local");
        m.put("Driver", n.driver());
        m.put("EnableIPv6", false);
        List<Map<String, Object>> config = new ArrayList<>();
        if (n.subnet() != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Subnet", n.subnet());
            if (n.ipRange() != null) {
                c.put("IPRange", n.ipRange());
            }
            c.put("Gateway", n.gateway());
            config.add(c);
        }
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("Driver", "default");
        ipam.put("Options", n.predefined() ? null : Map.of());
        ipam.put("Config", config);
        m.put("IPAM", ipam);
        m.put("Internal", n.internal());
        m.put("Attachable", false);
        m.put("Ingress", false);
        m.put("ConfigFrom", Map.of("Network", ""));
        m.put("ConfigOnly", false);
        Map<String, Object> containers = new TreeMap<>();
        for (NetworkStore.Endpoint e : Networking.users(store, n)) {
            for (NetworkStore.Attachment a : e.attachments()) {
                if (a.networkId().equals(n.id())) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("Name", e.name() != null ? e.name() : e.container().substring(0, 12));
                    c.put("EndpointID", a.hostVeth());
                    c.put("MacAddress", a.mac());
                    c.put("IPv4Address", a.ip() + "/" + a.prefix());
                    c.put("IPv6Address", "");
                    containers.put(e.container(), c);
                }
            }
        }
        m.put("Containers", containers);
        Map<String, String> options = new LinkedHashMap<>();
        if (n.bridged()) {
            options.put("com.docker.network.bridge.name", n.bridge());
        }
        m.put("Options", options);
        m.put("Labels", n.labels());
        return m;
    }
    // end::inspect[]

    @Command(name = "rm", aliases = "remove", description = "Remove networks (not one a running container is on).")
    public static class Remove extends NetworkCommand {
        @Parameters(paramLabel = "NETWORK", arity = "1..*")
        List<String> refs;

        @Option(names = {"-f", "--force"}, description = "No error for a network that does not exist.")
        boolean force;

        @Override
        int run(NetworkStore store) throws IOException {
            int code = 0;
            for (String ref : refs) {
                try {
                    Networking.remove(store, store.find(ref));
                    out().println(ref);
                } catch (NetworkStore.NoSuchNetwork e) {
                    if (!force) {
                        code = error(e.getMessage());
                    }
                } catch (JockerException e) {
                    code = error(e.getMessage());
                }
            }
            return code;
        }
    }

    @Command(name = "prune", description = "Remove every user network no running container is on.")
    public static class Prune extends NetworkCommand {
        @Option(names = {"-f", "--force"}, description = "Do not ask.")
        boolean force;

        @Override
        int run(NetworkStore store) throws IOException {
            if (!force) {
                out().print("WARNING! This will remove all custom networks not used by at least one container.\n"
                        + "Are you sure you want to continue? [y/N] ");
                out().flush();
                String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
                if (answer == null || !answer.strip().equalsIgnoreCase("y") && !answer.strip().equalsIgnoreCase("yes")) {
                    return 0;
                }
            }
            List<String> removed = new ArrayList<>();
            for (NetworkStore.Network n : store.list()) {
                if (!n.predefined() && Networking.users(store, n).isEmpty()) {
                    Networking.remove(store, n);
                    removed.add(n.name());
                }
            }
            if (!removed.isEmpty()) {
                removed.sort(VolumeCommands::natural);
                out().println("Deleted Networks:");
                removed.forEach(out()::println);
            }
            return 0;
        }
    }

    // tag::connect[]
    @Command(name = "connect", description = "Connect a running container to a network: a new veth, ethN inside.")
    public static class Connect extends NetworkCommand {
        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;

        @Parameters(index = "1", paramLabel = "CONTAINER")
        String containerRef;

        @Option(names = "--ip", paramLabel = "IPv4", description = "Its address on the network.")
        String ip;

        @Option(names = "--alias", paramLabel = "ALIAS", description = "Another name on the network. Repeatable.")
        List<String> aliases = new ArrayList<>();

        @Override
        int run(NetworkStore store) throws IOException {
            NetworkStore.Network n = store.find(network);
            ContainerRecord c = container(containerRef);
            NetworkStore.Endpoint e = store.endpoint(c.id());
            if (e == null || !Networking.running(e)) {
                throw new JockerException("container " + c.id() + " is not running");
            }
            if (!e.mode().equals("bridge") || !n.bridged()) {
                throw new JockerException("container sharing network namespace with another container or host cannot"
                        + " be connected to any other network");
            }
            if (e.attachments().stream().anyMatch(a -> a.networkId().equals(n.id()))) {
                throw new JockerException("endpoint with name " + (e.name() != null ? e.name() : c.shortId())
                        + " already exists in network " + n.name());
            }
            int index = 0;
            while (true) {
                String iface = "eth" + index;
                if (e.attachments().stream().noneMatch(a -> a.iface().equals(iface))) {
                    break;
                }
                index++;
            }
            NetworkStore.Attachment a = Networking.attachment(store, n, c.id(), ip == null ? null : Ipv4.parse(ip),
                    n.name().equals(NetworkStore.DEFAULT) ? List.of() : aliases, index);
            List<NetworkStore.Attachment> all = new ArrayList<>(e.attachments());
            all.add(a);
            store.save(e.withAttachments(all)); // first: the run's cleanup removes what the record names
            Networking.plug(store, a, "/proc/" + e.initPid() + "/ns/net", false);
            Networking.syncHosts(store);
            return 0;
        }
    }
    // end::connect[]

    @Command(name = "disconnect", description = "Disconnect a running container from a network.")
    public static class Disconnect extends NetworkCommand {
        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;

        @Parameters(index = "1", paramLabel = "CONTAINER")
        String containerRef;

        @Option(names = {"-f", "--force"}, description = "Accepted, as docker's.")
        boolean force;

        @Override
        int run(NetworkStore store) throws IOException {
            NetworkStore.Network n = store.find(network);
            ContainerRecord c = container(containerRef);
            NetworkStore.Endpoint e = store.endpoint(c.id());
            NetworkStore.Attachment a = e == null ? null
                    : e.attachments().stream().filter(x -> x.networkId().equals(n.id())).findFirst().orElse(null);
            if (a == null) {
                throw new JockerException("container " + c.id() + " is not connected to network " + n.name());
            }
            Bridges.unplug(a.hostVeth());
            List<NetworkStore.Attachment> rest = new ArrayList<>(e.attachments());
            rest.remove(a);
            store.save(e.withAttachments(rest));
            store.release(a.networkId(), a.ip(), c.id());
            Networking.syncHosts(store);
            return 0;
        }
    }

    @Command(name = "port", description = "List a container's published ports, or the host's address of one.")
    public static class Port extends NetworkCommand {
        @Parameters(index = "0", paramLabel = "CONTAINER")
        String containerRef;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PRIVATE_PORT[/PROTO]")
        String privatePort;

        @Override
        int run(NetworkStore store) throws IOException {
            ContainerRecord c = container(containerRef);
            NetworkStore.Endpoint e = store.endpoint(c.id());
            List<NetworkStore.PortBinding> ports = new ArrayList<>(e == null ? List.of() : e.ports());
            ports.sort((a, b) -> a.containerPort() != b.containerPort() ? Integer.compare(a.containerPort(), b.containerPort())
                    : a.proto().compareTo(b.proto()));
            if (privatePort != null) {
                String want = privatePort.contains("/") ? privatePort : privatePort + "/tcp";
                List<NetworkStore.PortBinding> match = ports.stream()
                        .filter(p -> (p.containerPort() + "/" + p.proto()).equals(want)).toList();
                if (match.isEmpty()) {
                    throw new JockerException("No public port '" + want + "' published for " + containerRef);
                }
                match.forEach(p -> out().println(p.hostIp() + ":" + p.hostPort()));
                return 0;
            }
            ports.forEach(p -> out().println(p.containerPort() + "/" + p.proto() + " -> " + p.hostIp() + ":" + p.hostPort()));
            return 0;
        }
    }

    // tag::cleanup[]
    /**
     * {@code cleanup}: step 2's (the cgroups of runs that ended badly), then
     * the network's: every endpoint of a dead run undone (veths, rules,
     * leases); when no container runs, the bridges and jocker's chains too
     * (each comes back at first use).
     */
    @Command(name = "cleanup", description = "Remove what killed runs left: cgroups, veths, rules, leases; idle bridges and chains.")
    public static class Cleanup extends CgroupCleanupCommand {
        @Mixin
        RootOption root;

        @Override
        public Integer call() {
            int code = super.call();
            PrintWriter out = self.commandLine().getOut();
            try (NetworkStore store = NetworkStore.open(root.dataRoot())) {
                int n = Networking.collect(store);
                if (n > 0) {
                    out.println("removed the network of " + n + " container(s) whose run was killed");
                }
                List<String> removed = Networking.removeIdle(store);
                if (!removed.isEmpty()) {
                    out.println("no container runs: removed " + String.join(", ", removed));
                }
            } catch (IOException | JockerException e) {
                self.commandLine().getErr().println("cleanup: " + e.getMessage());
                code = 1;
            }
            out.flush();
            return code;
        }
    }
    // end::cleanup[]
}
