package jocker.network.cli;

import jocker.cli.RunCommand;
import jocker.cli.RunPart;
import jocker.image.cli.ImageRunPart;
import jocker.image.json.ImageConfig;
import jocker.network.Bridges;
import jocker.network.EtcFiles;
import jocker.network.Firewall;
import jocker.network.NetworkStore;
import jocker.network.Networking;
import jocker.network.PortProxy;
import jocker.network.PortSpec;
import jocker.network.ipam.Ipv4;
import jocker.runtime.Container;
import jocker.runtime.Feature;
import jocker.spec.Spec;
import jocker.storage.ContainerRecord;
import jocker.storage.ContainerStore;
import jocker.storage.Owner;
import jocker.storage.cli.StorageRunPart;
import jocker.sys.JockerException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * step 6's part of run: the container's network. --network picks the
 * mode (a bridge network, host, none, or another container's stack), -p
 * publishes ports, and /etc/hosts, /etc/hostname and /etc/resolv.conf are
 * the container's own.
 */
public class NetworkRunPart implements RunPart {
    @Option(names = {"--network", "--net"}, paramLabel = "bridge|host|none|container:NAME|NETWORK",
            description = "The network(s) to connect to (default: bridge). Repeatable.")
    List<String> networks = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "IPv4", description = "The address on the (first) user network.")
    String ip;

    @Option(names = {"--network-alias", "--net-alias"}, paramLabel = "ALIAS",
            description = "Another name for the container on its user networks. Repeatable.")
    List<String> aliases = new ArrayList<>();

    @Option(names = "--add-host", paramLabel = "HOST:IP", description = "A line for /etc/hosts. Repeatable.")
    List<String> addHosts = new ArrayList<>();

    @Option(names = "--dns", paramLabel = "IP", description = "A nameserver (replaces the host's). Repeatable.")
    List<String> dns = new ArrayList<>();

    @Option(names = "--dns-search", paramLabel = "DOMAIN", description = "A search domain (\".\" for none). Repeatable.")
    List<String> dnsSearch = new ArrayList<>();

    @Option(names = {"--dns-option", "--dns-opt"}, paramLabel = "OPTION", description = "A resolv.conf option. Repeatable.")
    List<String> dnsOptions = new ArrayList<>();

    @Option(names = {"-p", "--publish"}, paramLabel = "[IP:][HOSTPORT:]PORT[/PROTO]",
            description = "Publish a container's port on the host. Repeatable.")
    List<String> publish = new ArrayList<>();

    @Option(names = {"-P", "--publish-all"}, description = "Publish every port the image EXPOSEs, each on a free host port.")
    boolean publishAll;

    /** what customize worked out, for the feature */
    private Plan plan;

    /** The mode and what it needs: the networks (bridge mode), the container shared (container mode). */
    record Plan(String mode, Path dataRoot, String id, String name, String hostname, List<NetworkStore.Network> networks,
                NetworkStore.Endpoint shared, List<PortSpec> ports) {
        /** The record of a container that has nothing on the host yet, run by this process. */
        NetworkStore.Endpoint endpoint() {
            return new NetworkStore.Endpoint(id, name, hostname, mode, Owner.self(), Owner.startTime(Owner.self()), 0, 0,
                    List.of(), List.of(), shared == null ? null : shared.container());
        }
    }

    // tag::customize[]
    @Override
    public Spec customize(RunCommand.Request run, Spec spec) {
        if (!newNetworkNamespace(spec)) {
            // a bundle whose spec shares a stack (the host's, or one by path): nothing of it is this part's to set up
            if (!networks.isEmpty() || ip != null || !publish.isEmpty() || publishAll) {
                throw new JockerException("the spec has no network namespace of its own: --network, --ip and -p"
                        + " cannot apply");
            }
            return spec;
        }
        StorageRunPart storage = run.part(StorageRunPart.class);
        List<String> asked = networks.isEmpty() ? List.of(NetworkStore.DEFAULT) : networks;
        try (NetworkStore store = NetworkStore.open(storage.dataRoot())) {
            Networking.collect(store);
            Networking.ensureDefaults(store, run.err());
            String mode = mode(store, asked);
            List<PortSpec> ports = ports(run, mode);
            checkConflicts(run, mode, asked);
            Path files = store.endpointDir(run.id());
            String hostname = spec.hostname();
            List<NetworkStore.Network> nets = new ArrayList<>();
            NetworkStore.Endpoint shared = null;
            List<String> namespacePath = new ArrayList<>();
            switch (mode) {
                case "bridge" -> {
                    for (String n : asked) {
                        nets.add(store.find(n));
                    }
                }
                case "host" -> {
                    hostname = run.process().hostname() != null ? run.process().hostname() : hostHostname();
                    namespacePath.add(null); // no namespace of its own: the host's stack
                }
                case "container" -> {
                    shared = sharedEndpoint(store, storage.dataRoot(), asked.get(0).substring("container:".length()));
                    files = store.endpointDir(shared.sharedWith() != null ? shared.sharedWith() : shared.container());
                    hostname = shared.hostname();
                    namespacePath.add("/proc/" + shared.initPid() + "/ns/net");
                }
                default -> { } // none: a namespace with lo only
            }
            plan = new Plan(mode, storage.dataRoot(), run.id(), storage.name(), hostname, nets, shared, ports);
            // the record first, then the files the spec mounts (their content comes in prepare): the runtime
            // checks that a mount's source exists before any feature runs; finish removes them if it never ran
            store.save(plan.endpoint());
            if (shared == null) {
                for (String f : List.of(EtcFiles.HOSTNAME, EtcFiles.HOSTS, EtcFiles.RESOLV)) {
                    Files.write(files.resolve(f), new byte[0]);
                }
            }
            Spec.Linux linux = spec.linux();
            if (!namespacePath.isEmpty()) {
                linux = withNetworkNamespace(linux, namespacePath.get(0));
            }
            List<Spec.Mount> mounts = new ArrayList<>();
            for (Spec.Mount m : spec.mounts()) {
                if (!Set.of("/etc/hosts", "/etc/hostname", "/etc/resolv.conf").contains(m.destination())) {
                    mounts.add(m);
                }
            }
            for (String f : List.of(EtcFiles.HOSTNAME, EtcFiles.HOSTS, EtcFiles.RESOLV)) {
                mounts.add(new Spec.Mount("/etc/" + f, "bind", files.resolve(f).toString(), List.of("rbind", "rprivate")));
            }
            return new Spec(spec.ociVersion(), spec.process(), spec.root(), hostname, mounts, linux,
                    spec.annotations(), spec.hooks());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
    // end::customize[]

    private static boolean newNetworkNamespace(Spec spec) {
        return spec.linux() != null && spec.linux().namespaces().stream()
                .anyMatch(n -> n.type().equals("network") && (n.path() == null || n.path().isEmpty()));
    }

    /** bridge (one or more bridge networks), host, none or container, from the --network words. */
    private static String mode(NetworkStore store, List<String> asked) throws IOException {
        List<String> modes = new ArrayList<>();
        for (String a : asked) {
            if (a.startsWith("container:")) {
                if (a.length() == "container:".length()) {
                    throw new JockerException("invalid container format container:<name|id>");
                }
                modes.add("container");
            } else {
                NetworkStore.Network n = store.find(a);
                modes.add(n.bridged() ? "bridge" : n.driver().equals("host") ? "host" : "none");
            }
        }
        if (asked.size() > 1 && !modes.stream().allMatch("bridge"::equals)) {
            throw new JockerException("conflicting options: cannot attach both user-defined and non-user-defined"
                    + " network-modes");
        }
        return modes.get(0);
    }

    /** docker's refusals of flags that make no sense in a mode. */
    private void checkConflicts(RunCommand.Request run, String mode, List<String> asked) {
        boolean userNetwork = mode.equals("bridge") && !asked.get(0).equals(NetworkStore.DEFAULT);
        if (mode.equals("container")) {
            if (run.process().hostname() != null) {
                throw new JockerException("conflicting options: hostname and the network mode");
            }
            if (!dns.isEmpty() || !dnsSearch.isEmpty() || !dnsOptions.isEmpty()) {
                throw new JockerException("conflicting options: dns and the network mode");
            }
            if (!addHosts.isEmpty()) {
                throw new JockerException("conflicting options: custom host-to-IP mapping and the network mode");
            }
            if (!publish.isEmpty() || publishAll) {
                throw new JockerException("conflicting options: port publishing and the container type network mode");
            }
        }
        if (ip != null) {
            Ipv4.parse(ip);
            if (!userNetwork) {
                throw new JockerException("user specified IP address is supported on user defined networks only");
            }
        }
        if (!aliases.isEmpty() && !userNetwork) {
            throw new JockerException("network-scoped alias is supported only for containers in user defined networks");
        }
        for (String h : addHosts) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new JockerException("bad format for add-host: \"" + h + "\"");
            }
            String address = h.substring(colon + 1);
            if (!address.equals("host-gateway")) {
                try {
                    Ipv4.parse(address);
                } catch (JockerException e) {
                    if (!address.contains(":")) {
                        throw new JockerException("invalid IP address in add-host: \"" + address + "\"");
                    }
                }
            }
        }
    }

    /** -p words and, with -P, the image's EXPOSEd ports; a warning and none in host mode, as docker does. */
    private List<PortSpec> ports(RunCommand.Request run, String mode) {
        List<PortSpec> out = new ArrayList<>();
        for (String p : publish) {
            out.addAll(PortSpec.parse(p));
        }
        if (publishAll) {
            ImageConfig.ContainerConfig config = run.last(ImageRunPart.class).imageConfig();
            if (config != null && config.exposedPorts() != null) {
                for (String key : new TreeSet<>(config.exposedPorts().keySet())) {
                    PortSpec e = PortSpec.exposed(key);
                    if (out.stream().noneMatch(o -> o.containerPort() == e.containerPort() && o.proto().equals(e.proto()))) {
                        out.add(e);
                    }
                }
            }
        }
        if (mode.equals("host") && !out.isEmpty()) {
            run.err().println("WARNING: Published ports are discarded when using host network mode");
            run.err().flush();
            return List.of();
        }
        return mode.equals("bridge") ? out : List.of();
    }

    /** The endpoint of the running container whose network stack --network container:NAME shares. */
    private static NetworkStore.Endpoint sharedEndpoint(NetworkStore store, Path dataRoot, String ref) throws IOException {
        ContainerRecord c;
        try {
            c = new ContainerStore(dataRoot).find(ref);
        } catch (JockerException e) {
            throw new JockerException("No such container: " + ref);
        }
        NetworkStore.Endpoint e = store.endpoint(c.id());
        if (e == null || !Networking.running(e)) {
            throw new JockerException("cannot join network namespace of a non running container: container "
                    + c.id() + " is exited");
        }
        return e;
    }

    private static Spec.Linux withNetworkNamespace(Spec.Linux linux, String path) {
        List<Spec.LinuxNamespace> ns = new ArrayList<>();
        for (Spec.LinuxNamespace n : linux.namespaces()) {
            if (!n.type().equals("network")) {
                ns.add(n);
            }
        }
        if (path != null) {
            ns.add(new Spec.LinuxNamespace("network", path));
        }
        return new Spec.Linux(ns, linux.maskedPaths(), linux.readonlyPaths(), linux.extensions());
    }

    static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** A run that failed before its network's prepare (or whose cleanup did not finish) leaves nothing. */
    @Override
    public int finish(RunCommand.Request run, Container container, jocker.runtime.ContainerResult result, int code) {
        if (plan != null) {
            try (NetworkStore store = NetworkStore.open(plan.dataRoot())) {
                NetworkStore.Endpoint e = store.endpoint(plan.id());
                if (e != null) {
                    Networking.teardown(store, e);
                }
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
        return code;
    }

    @Override
    public List<Feature> features(Container container) {
        return plan == null ? List.of() : List.of(new Attach(plan, this));
    }

    // tag::feature[]
    /**
     * The container's network through its life. prepare: the addresses
     * leased and recorded, its files written, the bridges and rules in
     * place, the host ports bound. started: the veths plugged into the
     * waiting init's namespace, the peers' hosts files updated. cleanup:
     * all of it undone, from the record.
     */
    private static final class Attach implements Feature {
        private final Plan plan;
        private final NetworkRunPart flags;
        private final List<PortProxy> proxies = new ArrayList<>();

        Attach(Plan plan, NetworkRunPart flags) {
            this.plan = plan;
            this.flags = flags;
        }

        @Override
        public void prepare(Container c) {
            try (NetworkStore store = NetworkStore.open(plan.dataRoot())) {
                try {
                    setUp(store);
                } catch (RuntimeException | IOException x) {
                    // the runtime calls cleanup only after a prepare that succeeded: undo this one's part now
                    PortProxy.closeAll(proxies);
                    try {
                        NetworkStore.Endpoint e = store.endpoint(plan.id());
                        if (e != null) {
                            Networking.teardown(store, e);
                        }
                    } catch (RuntimeException | IOException y) {
                        x.addSuppressed(y);
                    }
                    throw x;
                }
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }

        private void setUp(NetworkStore store) throws IOException {
            {
                NetworkStore.Endpoint e = plan.endpoint();
                store.save(e);
                List<NetworkStore.Attachment> made = new ArrayList<>();
                for (NetworkStore.Network n : plan.networks()) {
                    Ipv4 wanted = made.isEmpty() && flags.ip != null ? Ipv4.parse(flags.ip) : null;
                    made.add(Networking.attachment(store, n, plan.id(), wanted,
                            n.name().equals(NetworkStore.DEFAULT) ? List.of() : flags.aliases, made.size()));
                    e = e.withAttachments(made);
                    store.save(e); // before anything is made on the host for it
                }
                if (plan.shared() == null) {
                    writeFiles(store, e);
                }
                for (NetworkStore.Network n : plan.networks()) {
                    Bridges.ensure(n);
                }
                publish(store, e);
            }
        }

        private void writeFiles(NetworkStore store, NetworkStore.Endpoint e) throws IOException {
            Path dir = store.endpointDir(e.container());
            Files.writeString(dir.resolve(EtcFiles.HOSTNAME), plan.hostname() + "\n");
            List<String> extra = new ArrayList<>();
            for (String h : flags.addHosts) {
                extra.add(h.endsWith(":host-gateway") && !e.attachments().isEmpty()
                        ? h.substring(0, h.lastIndexOf(':') + 1) + e.attachments().get(0).gateway() : h);
            }
            String hostResolv = Files.isRegularFile(Path.of("/etc/resolv.conf")) ? Files.readString(Path.of("/etc/resolv.conf")) : "";
            String hosts;
            String resolv;
            if (plan.mode().equals("host")) {
                hosts = (Files.isRegularFile(Path.of("/etc/hosts")) ? Files.readString(Path.of("/etc/hosts")) : "")
                        + EtcFiles.extraHosts(extra);
                resolv = flags.dns.isEmpty() && flags.dnsSearch.isEmpty() && flags.dnsOptions.isEmpty() ? hostResolv
                        : EtcFiles.resolvConf(hostResolv, flags.dns, flags.dnsSearch, flags.dnsOptions);
            } else {
                String own = e.attachments().isEmpty() ? null : e.attachments().get(0).ip();
                hosts = EtcFiles.hosts(extra, own, plan.hostname());
                resolv = EtcFiles.resolvConf(hostResolv, flags.dns, flags.dnsSearch, flags.dnsOptions);
            }
            Files.writeString(dir.resolve(EtcFiles.HOSTS), hosts);
            Files.writeString(dir.resolve(EtcFiles.RESOLV), resolv);
        }

        // tag::publish[]
        /** Each port: the host's bound first (a random one for port 0), recorded, then its DNAT and proxy. */
        private void publish(NetworkStore store, NetworkStore.Endpoint e) throws IOException {
            if (plan.ports().isEmpty()) {
                return;
            }
            NetworkStore.Attachment first = e.attachments().get(0);
            String bridge = plan.networks().get(0).bridge();
            List<NetworkStore.PortBinding> bound = new ArrayList<>();
            for (PortSpec p : plan.ports()) {
                PortProxy proxy = PortProxy.bind(p.proto(), p.hostIp(), p.hostFirst(), p.hostLast());
                proxies.add(proxy);
                bound.add(new NetworkStore.PortBinding(p.proto(), p.hostIp(), proxy.port(), p.containerPort(),
                        first.ip(), bridge));
            }
            store.save(new NetworkStore.Endpoint(e.container(), e.name(), e.hostname(), e.mode(), e.ownerPid(),
                    e.ownerStart(), 0, 0, e.attachments(), bound, e.sharedWith()));
            for (int i = 0; i < bound.size(); i++) {
                Firewall.add(Firewall.portRules(bound.get(i)));
                proxies.set(i, proxies.get(i).start(bound.get(i).containerIp(), bound.get(i).containerPort()));
            }
        }
        // end::publish[]

        @Override
        public void started(Container c, long pid) {
            String netns = "/proc/" + pid + "/ns/net";
            try (NetworkStore store = NetworkStore.open(plan.dataRoot())) {
                NetworkStore.Endpoint e = store.endpoint(plan.id()).withInit(pid, Owner.startTime(pid));
                store.save(e);
                switch (plan.mode()) {
                    case "bridge" -> {
                        for (int i = 0; i < e.attachments().size(); i++) {
                            Bridges.plug(e.attachments().get(i), plan.networks().get(i).bridge(), netns, i == 0);
                        }
                    }
                    case "none" -> Bridges.loopbackUp(netns);
                    default -> { } // host, container: a stack that is there already
                }
                Networking.syncHosts(store);
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }

        @Override
        public void cleanup(Container c) {
            PortProxy.closeAll(proxies);
            try (NetworkStore store = NetworkStore.open(plan.dataRoot())) {
                NetworkStore.Endpoint e = store.endpoint(plan.id());
                if (e != null) {
                    Networking.teardown(store, e);
                }
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
    }
    // end::feature[]
}
