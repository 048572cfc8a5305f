package jocker.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import jocker.network.ipam.Ipv4;
import jocker.network.ipam.Subnet;
import jocker.sys.AtomicFile;
import jocker.sys.JockerException;
import jocker.sys.Json;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

// tag::store[]
/**
 * Networks and their address leases under the data root:
 * <pre>
 *   networks/.lock                  held (flock) while anything below changes
 *   networks/ID/network.json        a network: name, subnet, gateway, bridge ...
 *   networks/ID/leases/IP           one address given out: holds the container's id
 *   networks/endpoints/CID/         a container's attachments, and its hosts, hostname, resolv.conf
 * </pre>
 * Every command that changes networks holds the lock for the few
 * milliseconds it takes, so two {@code run}s started together can never
 * be given one address; a lease is a file made with CREATE_NEW besides.
 */
public final class NetworkStore implements AutoCloseable {
    /** docker's rule for network names (as for containers) */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    /** one JVM's threads queue here; flock(2) keeps other processes out */
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();
    public static final String DEFAULT = "bridge";
    public static final String DEFAULT_BRIDGE = "jocker0";

    /**
     * A network, as kept in network.json.
     *
     * @param bridge  the bridge's link name (jocker0 for the default network, jk-ID12 for others); null for host, none
     * @param ipRange where addresses are given from (the subnet unless --ip-range)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Network(String name, String id, String driver, String subnet, String gateway, String ipRange,
                          boolean internal, Map<String, String> labels, String created, String bridge) {
        public Network {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean bridged() {
            return "bridge".equals(driver);
        }

        /** The predefined ones: bridge, host, none (they cannot be removed). */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean predefined() {
            return List.of(DEFAULT, "host", "none").contains(name);
        }

        public Subnet subnetRange() {
            return Subnet.parse(subnet);
        }

        public Ipv4 gatewayIp() {
            return Ipv4.parse(gateway);
        }
    }

    private final Path dir;
    private final FileChannel lockFile;
    private final FileLock lock;

    private NetworkStore(Path dir, FileChannel lockFile, FileLock lock) {
        this.dir = dir;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** The store, locked until close. */
    public static NetworkStore open(Path dataRoot) throws IOException {
        Path dir = dataRoot.resolve("networks");
        Files.createDirectories(dir.resolve("endpoints"));
        IN_PROCESS.lock();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new NetworkStore(dir, ch, ch.lock());
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            IN_PROCESS.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            lockFile.close();
        } finally {
            IN_PROCESS.unlock();
        }
    }

    public Path dir() {
        return dir;
    }

    /** Every network, the predefined ones included (made here the first time), in no particular order. */
    public List<Network> list() throws IOException {
        List<Network> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                Path json = p.resolve("network.json");
                if (Files.isRegularFile(json)) {
                    out.add(Json.MAPPER.readValue(json.toFile(), Network.class));
                }
            }
        }
        return out;
    }

    /** A network by full name, full id, or a unique id prefix, as docker finds one. */
    public Network find(String ref) throws IOException {
        List<Network> all = list();
        for (Network n : all) {
            if (n.name().equals(ref) || n.id().equals(ref)) {
                return n;
            }
        }
        List<Network> byPrefix = all.stream().filter(n -> !ref.isEmpty() && n.id().startsWith(ref)).toList();
        if (byPrefix.size() == 1) {
            return byPrefix.get(0);
        }
        if (byPrefix.size() > 1) {
            throw new JockerException("network " + ref + " is ambiguous (" + byPrefix.size() + " matches found on name)");
        }
        throw new NoSuchNetwork(ref);
    }

    /** docker's error for a network that is not there. */
    public static final class NoSuchNetwork extends JockerException {
        public NoSuchNetwork(String ref) {
            super("network " + ref + " not found");
        }
    }

    /** Makes a network record (its bridge comes at first use, see Bridges). */
    public Network create(String name, String driver, Subnet subnet, Ipv4 gateway, Subnet ipRange, boolean internal,
                          Map<String, String> labels, String bridge) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new JockerException("invalid network name \"" + name + "\": must match " + NAME.pattern());
        }
        for (Network n : list()) {
            if (n.name().equals(name)) {
                throw new JockerException("network with name " + name + " already exists");
            }
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        Network n = new Network(name, id, driver, subnet == null ? null : subnet.toString(),
                gateway == null ? null : gateway.toString(), ipRange == null ? null : ipRange.toString(), internal,
                labels, OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                bridge == null && "bridge".equals(driver) ? "jk-" + id.substring(0, 12) : bridge);
        Files.createDirectories(dir.resolve(id).resolve("leases"));
        AtomicFile.write(dir.resolve(id).resolve("network.json"), Json.PRETTY.writeValueAsBytes(n));
        return n;
    }

    /** Removes a network's record and leases (its bridge and rules are the caller's, first). */
    public void remove(Network n) throws IOException {
        Path d = dir.resolve(n.id());
        Path leases = d.resolve("leases");
        if (Files.isDirectory(leases)) {
            try (Stream<Path> s = Files.list(leases)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Files.deleteIfExists(leases);
        Files.deleteIfExists(d.resolve("network.json"));
        Files.deleteIfExists(d);
    }
    // end::store[]

    // tag::lease[]
    /**
     * An address of the network for a container: the one asked for (--ip),
     * or the lowest free one of the range, never the network address, the
     * gateway or the broadcast address. Taken by making the lease file, so
     * an address is given once until released.
     */
    public Ipv4 lease(Network n, String container, Ipv4 wanted) throws IOException {
        Subnet subnet = n.subnetRange();
        Subnet range = n.ipRange() == null ? subnet : Subnet.parse(n.ipRange());
        Ipv4 gateway = n.gatewayIp();
        if (wanted != null) {
            if (!subnet.contains(wanted)) {
                throw new JockerException("no configured subnet or ip-range contain the IP address " + wanted);
            }
            if (wanted.equals(gateway) || wanted.equals(subnet.first()) || wanted.equals(subnet.last())
                    || !take(n, wanted, container)) {
                throw new JockerException("Address already in use");
            }
            return wanted;
        }
        for (Ipv4 ip = range.first(); ip.compareTo(range.last()) <= 0; ip = ip.plus(1)) {
            if (ip.equals(gateway) || ip.equals(subnet.first()) || ip.equals(subnet.last())) {
                continue;
            }
            if (take(n, ip, container)) {
                return ip;
            }
            if (ip.equals(range.last())) {
                break; // 255.255.255.255 + 1 wraps
            }
        }
        throw new JockerException("no available IPv4 addresses on this network's address pools: " + n.name()
                + " (" + n.id() + ")");
    }
    // end::lease[]

    private boolean take(Network n, Ipv4 ip, String container) throws IOException {
        try {
            Files.writeString(dir.resolve(n.id()).resolve("leases").resolve(ip.toString()), container,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /** Gives an address back (if this container holds it). */
    public void release(String networkId, String ip, String container) throws IOException {
        Path lease = dir.resolve(networkId).resolve("leases").resolve(ip);
        try {
            if (Files.readString(lease).equals(container)) {
                Files.delete(lease);
            }
        } catch (NoSuchFileException e) {
            // already given back
        }
    }

    /** The addresses a network has given out. */
    public List<String> leases(Network n) throws IOException {
        Path leases = dir.resolve(n.id()).resolve("leases");
        if (!Files.isDirectory(leases)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(leases)) {
            return s.map(p -> p.getFileName().toString()).sorted(Comparator.comparing(Ipv4::parse)).toList();
        }
    }

    // tag::endpoint[]
    /**
     * What a container has of the network: its attachments, its published
     * ports, who runs it. Written before anything is made for it on the
     * host, so that a run killed at any point leaves a record naming
     * everything to remove.
     *
     * @param ownerPid   the jocker process running it (with ownerStart, as step 3's store)
     * @param initPid    the container's init on the host, once started (0 before); its /proc/PID/ns/net is the stack
     * @param sharedWith the container whose stack it uses (--network container:), or null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Endpoint(String container, String name, String hostname, String mode, long ownerPid, long ownerStart,
                           long initPid, long initStart, List<Attachment> attachments, List<PortBinding> ports,
                           String sharedWith) {
        public Endpoint {
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
            ports = ports == null ? List.of() : List.copyOf(ports);
        }

        public Endpoint withInit(long pid, long start) {
            return new Endpoint(container, name, hostname, mode, ownerPid, ownerStart, pid, start, attachments, ports,
                    sharedWith);
        }

        public Endpoint withAttachments(List<Attachment> a) {
            return new Endpoint(container, name, hostname, mode, ownerPid, ownerStart, initPid, initStart, a, ports,
                    sharedWith);
        }
    }

    /**
     * One network a container is on: its address and MAC there, its
     * interface inside (eth0, eth1 ...) and the host's end of the veth.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Attachment(String network, String networkId, String ip, int prefix, String gateway, String mac,
                             String iface, String hostVeth, List<String> aliases) {
        public Attachment {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }
    }

    /** A published port: HOSTIP:HOSTPORT on the host to the container's port, and the container's address then. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PortBinding(String proto, String hostIp, int hostPort, int containerPort, String containerIp,
                              String bridge) {
    }
    // end::endpoint[]

    public Path endpointDir(String container) {
        return dir.resolve("endpoints").resolve(container);
    }

    public void save(Endpoint e) throws IOException {
        Files.createDirectories(endpointDir(e.container()));
        AtomicFile.write(endpointDir(e.container()).resolve("endpoint.json"), Json.PRETTY.writeValueAsBytes(e));
    }

    /** A container's endpoint, or null. */
    public Endpoint endpoint(String container) throws IOException {
        Path json = endpointDir(container).resolve("endpoint.json");
        return Files.isRegularFile(json) ? Json.MAPPER.readValue(json.toFile(), Endpoint.class) : null;
    }

    public List<Endpoint> endpoints() throws IOException {
        List<Endpoint> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.resolve("endpoints"))) {
            for (Path p : s.sorted().toList()) {
                Endpoint e = endpoint(p.getFileName().toString());
                if (e != null) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** Removes a container's endpoint directory (its record and /etc files). */
    public void removeEndpoint(String container) throws IOException {
        Path d = endpointDir(container);
        if (!Files.isDirectory(d)) {
            return;
        }
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(d);
    }
}
