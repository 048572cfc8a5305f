package jocker.network;

import jocker.network.ipam.Ipv4;
import jocker.network.ipam.Subnet;
import jocker.storage.Owner;
import jocker.sys.JockerException;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the network commands and run do with the store and the host
 * together: the predefined networks, a container's attachments made and
 * undone, the hosts files kept in sync, what a killed run left collected.
 * Every method is called with the store open (locked).
 */
public final class Networking {
    private Networking() {}

    // tag::defaults[]
    /**
     * bridge, host and none, made the first time: the default bridge gets
     * a /16 free on this host (said on err, once), on jocker0, so that
     * docker's docker0 (172.17.0.0/16) and jocker's can live side by side.
     */
    public static void ensureDefaults(NetworkStore store, PrintWriter err) throws IOException {
        List<NetworkStore.Network> all = store.list();
        Set<String> names = new LinkedHashSet<>();
        all.forEach(n -> names.add(n.name()));
        if (!names.contains(NetworkStore.DEFAULT)) {
            Subnet s = Bridges.freeSubnet(all);
            store.create(NetworkStore.DEFAULT, "bridge", s, s.first().plus(1), null, false, Map.of(),
                    NetworkStore.DEFAULT_BRIDGE);
            err.println("jocker: the default network \"bridge\" is " + s + " on " + NetworkStore.DEFAULT_BRIDGE
                    + " (free on this host)");
            err.flush();
        }
        if (!names.contains("host")) {
            store.create("host", "host", null, null, null, false, Map.of(), null);
        }
        if (!names.contains("none")) {
            store.create("none", "null", null, null, null, false, Map.of(), null);
        }
    }
    // end::defaults[]

    // tag::collect[]
    /**
     * Undoes what runs that died left: an endpoint whose owner is gone
     * (SIGKILL, a crash) still names its veths, rules and leases; remove
     * them. The kernel already removed the container's end of each veth
     * with its namespace, and the host's end with it.
     *
     * @return how many endpoints were collected
     */
    public static int collect(NetworkStore store) throws IOException {
        int n = 0;
        for (NetworkStore.Endpoint e : store.endpoints()) {
            if (!Owner.isAlive(e.ownerPid(), e.ownerStart())) {
                teardown(store, e);
                n++;
            }
        }
        return n;
    }
    // end::collect[]

    /** Everything of one endpoint, gone: veths, port rules, leases, its files; the hosts of its peers updated. */
    public static void teardown(NetworkStore store, NetworkStore.Endpoint e) throws IOException {
        RuntimeException first = null;
        for (NetworkStore.PortBinding p : e.ports()) {
            try {
                Firewall.remove(Firewall.portRules(p));
            } catch (RuntimeException x) {
                first = first == null ? x : first;
            }
        }
        for (NetworkStore.Attachment a : e.attachments()) {
            try {
                Bridges.unplug(a.hostVeth());
            } catch (RuntimeException x) {
                first = first == null ? x : first;
            }
            store.release(a.networkId(), a.ip(), e.container());
        }
        store.removeEndpoint(e.container());
        syncHosts(store);
        if (first != null) {
            throw first;
        }
    }

    /** Whether an endpoint's container runs now (its init is up, and its owner). */
    public static boolean running(NetworkStore.Endpoint e) {
        return e.initPid() != 0 && Owner.isAlive(e.initPid(), e.initStart()) && Owner.isAlive(e.ownerPid(), e.ownerStart());
    }

    // tag::sync-all[]
    /**
     * Every hosts file of a container on a user network, rewritten with the
     * names and aliases of the others it shares a network with (the default
     * bridge has no names, as in docker).
     */
    public static void syncHosts(NetworkStore store) throws IOException {
        List<NetworkStore.Endpoint> all = store.endpoints();
        for (NetworkStore.Endpoint e : all) {
            if (e.sharedWith() != null) {
                continue; // it uses the files of the container it shares with
            }
            List<String> lines = new ArrayList<>();
            for (NetworkStore.Attachment mine : e.attachments()) {
                if (mine.network().equals(NetworkStore.DEFAULT)) {
                    continue;
                }
                for (NetworkStore.Endpoint other : all) {
                    if (other == e) {
                        continue;
                    }
                    for (NetworkStore.Attachment theirs : other.attachments()) {
                        if (theirs.networkId().equals(mine.networkId())) {
                            lines.add(theirs.ip() + "\t" + String.join(" ", names(other, theirs)));
                        }
                    }
                }
            }
            EtcFiles.writePeers(store.endpointDir(e.container()).resolve(EtcFiles.HOSTS), lines);
        }
    }
    // end::sync-all[]

    /** The names a container answers to on a network: its name, its short id, its aliases. */
    static List<String> names(NetworkStore.Endpoint e, NetworkStore.Attachment a) {
        Set<String> out = new LinkedHashSet<>();
        if (e.name() != null) {
            out.add(e.name());
        }
        out.add(e.container().substring(0, 12));
        out.addAll(a.aliases());
        return new ArrayList<>(out);
    }

    /**
     * An attachment to a network for a container: an address leased (the
     * one asked, or the lowest free), the MAC made from it, its interface
     * name inside and the host's veth name.
     */
    public static NetworkStore.Attachment attachment(NetworkStore store, NetworkStore.Network n, String container,
                                                     Ipv4 ip, List<String> aliases, int index) throws IOException {
        if (!n.bridged()) {
            throw new JockerException("container cannot be connected to network " + n.name()
                    + " (driver " + n.driver() + ")");
        }
        Ipv4 leased = store.lease(n, container, ip);
        return new NetworkStore.Attachment(n.name(), n.id(), leased.toString(), n.subnetRange().prefix(),
                n.internal() ? null : n.gateway(), Bridges.macString(leased), "eth" + index,
                "vj" + container.substring(0, 10) + index, aliases);
    }

    /** The network's bridge and rules in place, then the attachment's veth plugged in, its end in netns. */
    public static void plug(NetworkStore store, NetworkStore.Attachment a, String netns, boolean defaultRoute)
            throws IOException {
        NetworkStore.Network n = store.find(a.networkId());
        Bridges.ensure(n);
        Bridges.plug(a, n.bridge(), netns, defaultRoute);
    }

    /** The containers that run on the network now. */
    public static List<NetworkStore.Endpoint> users(NetworkStore store, NetworkStore.Network n) throws IOException {
        List<NetworkStore.Endpoint> out = new ArrayList<>();
        for (NetworkStore.Endpoint e : store.endpoints()) {
            if (e.attachments().stream().anyMatch(a -> a.networkId().equals(n.id()))) {
                out.add(e);
            }
        }
        return out;
    }

    /** A network removed: docker's refusal while containers use it; else its bridge, rules and record. */
    public static void remove(NetworkStore store, NetworkStore.Network n) throws IOException {
        if (n.predefined()) {
            throw new JockerException(n.name() + " is a pre-defined network and cannot be removed");
        }
        if (!users(store, n).isEmpty()) {
            throw new JockerException("error while removing network: network " + n.name() + " id " + n.id()
                    + " has active endpoints");
        }
        if (!Bridges.remove(n)) {
            throw new JockerException("error while removing network: bridge " + n.bridge() + " of network " + n.name()
                    + " still has links plugged in");
        }
        store.remove(n);
    }

    /**
     * What cleanup removes when no container of this store runs: the
     * bridges of jocker's (jocker0, jk-*) that nothing is plugged into,
     * this store's or left by a data root that is gone, with their rules;
     * then jocker's chains, once no bridge of jocker's is left on the host.
     * A bridge a container uses (of another data root too) stays.
     *
     * @return what was removed, for the user (empty: nothing)
     */
    public static List<String> removeIdle(NetworkStore store) throws IOException {
        List<String> removed = new ArrayList<>();
        if (!store.endpoints().isEmpty()) {
            return removed;
        }
        for (NetworkStore.Network n : store.list()) {
            boolean there = n.bridged() && Bridges.linkNames().contains(n.bridge());
            if (Bridges.remove(n) && there) {
                removed.add(n.bridge()); // user networks keep their records; their bridges come back at first use
            }
        }
        for (String orphan : Bridges.idleBridges()) {
            Bridges.deleteLink(orphan);
            removed.add(orphan);
        }
        boolean anyLeft = Bridges.linkNames().stream()
                .anyMatch(l -> l.equals(NetworkStore.DEFAULT_BRIDGE) || l.startsWith("jk-"));
        if (!anyLeft && Firewall.removeChains()) {
            removed.add("jocker's iptables chains");
        }
        return removed;
    }
}
