package jocker.network;

import jocker.sys.JockerException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Packet filtering and NAT through the iptables binary (Debian's
 * iptables-nft), as docker does it, in chains of jocker's own. Every rule
 * is added only if {@code iptables -C} does not find it already, and
 * deleted only if it finds it, so every call can be repeated.
 *
 * <pre>
 *   nat    PREROUTING  -m addrtype --dst-type LOCAL -j JOCKER
 *          OUTPUT      ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j JOCKER
 *          POSTROUTING -s SUBNET ! -o BRIDGE -j MASQUERADE        egress, with the host's address
 *          JOCKER      ! -i BRIDGE -p tcp --dport HP -j DNAT --to CIP:CP   a published port
 *   filter FORWARD     -j JOCKER-ISOLATION-STAGE-1
 *          JOCKER-ISOLATION-STAGE-1  -i BRIDGE ! -o BRIDGE -j JOCKER-ISOLATION-STAGE-2
 *          JOCKER-ISOLATION-STAGE-2  -o BRIDGE -j DROP            no network reaches another
 *          JOCKER-ISOLATION-STAGE-1  -i BRIDGE ! -d SUBNET -j DROP (--internal: nothing leaves)
 *          FORWARD     -i BRIDGE -j ACCEPT, -o BRIDGE -j ACCEPT   (for a host whose policy is DROP)
 * </pre>
 */
public final class Firewall {
    public static final String CHAIN = "JOCKER";
    public static final String STAGE1 = "JOCKER-ISOLATION-STAGE-1";
    public static final String STAGE2 = "JOCKER-ISOLATION-STAGE-2";

    private Firewall() {}

    // tag::network-rules[]
    /** The rules of one bridge network: masquerading (unless internal), isolation from every other network. */
    public static List<Rule> networkRules(NetworkStore.Network n) {
        String br = n.bridge();
        List<Rule> rules = new ArrayList<>();
        if (!n.internal()) {
            rules.add(new Rule("nat", "POSTROUTING", "-s", n.subnet(), "!", "-o", br, "-j", "MASQUERADE"));
            rules.add(new Rule("filter", STAGE1, "-i", br, "!", "-o", br, "-j", STAGE2));
            rules.add(new Rule("filter", STAGE2, "-o", br, "-j", "DROP"));
            rules.add(new Rule("filter", "FORWARD", "-i", br, "-j", "ACCEPT"));
            rules.add(new Rule("filter", "FORWARD", "-o", br, "-j", "ACCEPT"));
        } else {
            rules.add(new Rule("filter", STAGE1, "-i", br, "!", "-d", n.subnet(), "-j", "DROP"));
            rules.add(new Rule("filter", STAGE1, "-o", br, "!", "-s", n.subnet(), "-j", "DROP"));
        }
        rules.add(new Rule("nat", CHAIN, "-i", br, "-j", "RETURN"));
        return rules;
    }
    // end::network-rules[]

    // tag::port-rules[]
    /**
     * A published port: DNAT of what comes to the host's port (from outside,
     * and from the host itself but not to 127.0.0.1, which the userland
     * proxy answers), and its acceptance in FORWARD.
     */
    public static List<Rule> portRules(NetworkStore.PortBinding p) {
        List<String> dnat = new ArrayList<>(List.of("!", "-i", p.bridge(), "-p", p.proto()));
        if (!p.hostIp().equals("0.0.0.0")) {
            dnat.addAll(List.of("-d", p.hostIp() + "/32"));
        }
        dnat.addAll(List.of("--dport", String.valueOf(p.hostPort()), "-j", "DNAT", "--to-destination",
                p.containerIp() + ":" + p.containerPort()));
        return List.of(new Rule("nat", CHAIN, dnat.toArray(String[]::new)),
                new Rule("filter", CHAIN, "-d", p.containerIp() + "/32", "!", "-i", p.bridge(), "-o", p.bridge(),
                        "-p", p.proto(), "--dport", String.valueOf(p.containerPort()), "-j", "ACCEPT"));
    }
    // end::port-rules[]

    /** One rule: a table, a chain and the rest of the words. */
    public record Rule(String table, String chain, String... spec) {
    }

    /** jocker's chains and the jumps to them (made once, kept). */
    static void ensureChains() {
        chain("nat", CHAIN);
        chain("filter", CHAIN);
        chain("filter", STAGE1);
        chain("filter", STAGE2);
        insert(new Rule("nat", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", CHAIN));
        insert(new Rule("nat", "OUTPUT", "!", "-d", "127.0.0.0/8", "-m", "addrtype", "--dst-type", "LOCAL", "-j", CHAIN));
        insert(new Rule("filter", "FORWARD", "-j", CHAIN));
        insert(new Rule("filter", "FORWARD", "-j", STAGE1)); // first: isolation before any accept
    }

    /** Removes jocker's chains and the jumps to them (nothing of theirs may be in use); false if there were none. */
    static boolean removeChains() {
        if (Arrays.stream(BINARIES).noneMatch(b -> Files.isExecutable(Path.of(b)))) {
            return false; // no iptables: no chains were ever made
        }
        boolean had = run(false, "-t", "nat", "-n", "-L", CHAIN) == 0 || !listed().isEmpty();
        // a bridge's rules outside jocker's chains, left by a data root that is gone (its records with it)
        for (String[] builtin : new String[][] {{"nat", "POSTROUTING"}, {"filter", "FORWARD"}}) {
            for (String line : output("-t", builtin[0], "-S", builtin[1])) {
                if (line.startsWith("-A ") && (line.contains(" " + NetworkStore.DEFAULT_BRIDGE + " ") || line.contains(" jk-"))) {
                    List<String> words = new ArrayList<>(List.of(line.substring(3).split(" ")));
                    words.remove(0);
                    delete(new Rule(builtin[0], builtin[1], words.toArray(String[]::new)));
                }
            }
        }
        delete(new Rule("nat", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", CHAIN));
        delete(new Rule("nat", "OUTPUT", "!", "-d", "127.0.0.0/8", "-m", "addrtype", "--dst-type", "LOCAL", "-j", CHAIN));
        delete(new Rule("filter", "FORWARD", "-j", CHAIN));
        delete(new Rule("filter", "FORWARD", "-j", STAGE1));
        for (String[] c : new String[][] {{"nat", CHAIN}, {"filter", CHAIN}, {"filter", STAGE1}, {"filter", STAGE2}}) {
            if (run(false, "-t", c[0], "-n", "-L", c[1]) == 0) {
                run(false, "-t", c[0], "-F", c[1]);
                run(false, "-t", c[0], "-X", c[1]);
            }
        }
        return had;
    }

    public static void add(List<Rule> rules) {
        ensureChains();
        for (Rule r : rules) {
            if (!exists(r)) {
                List<String> args = new ArrayList<>(List.of("-t", r.table(), "-A", r.chain()));
                args.addAll(List.of(r.spec()));
                run(true, args.toArray(String[]::new));
            }
        }
    }

    public static void remove(List<Rule> rules) {
        for (Rule r : rules) {
            delete(r);
        }
    }

    /** The words of jocker's rules as iptables -S prints them (for tests, and the host check). */
    public static List<String> listed() {
        List<String> out = new ArrayList<>();
        for (String table : List.of("nat", "filter")) {
            out.addAll(output("-t", table, "-S"));
        }
        return out.stream().filter(l -> l.contains("JOCKER") || l.contains("jk-") || l.contains(NetworkStore.DEFAULT_BRIDGE))
                .toList();
    }

    private static void chain(String table, String name) {
        if (run(false, "-t", table, "-n", "-L", name) != 0) {
            run(false, "-t", table, "-N", name); // another run may have just made it
        }
    }

    private static void insert(Rule r) {
        if (!exists(r)) {
            List<String> args = new ArrayList<>(List.of("-t", r.table(), "-I", r.chain()));
            args.addAll(List.of(r.spec()));
            run(true, args.toArray(String[]::new));
        }
    }

    private static void delete(Rule r) {
        while (exists(r)) {
            List<String> args = new ArrayList<>(List.of("-t", r.table(), "-D", r.chain()));
            args.addAll(List.of(r.spec()));
            if (run(false, args.toArray(String[]::new)) != 0) {
                return;
            }
        }
    }

    static boolean exists(Rule r) {
        List<String> args = new ArrayList<>(List.of("-t", r.table(), "-C", r.chain()));
        args.addAll(List.of(r.spec()));
        return run(false, args.toArray(String[]::new)) == 0;
    }

    private static final String[] BINARIES = {"/usr/sbin/iptables", "/sbin/iptables"};

    private static String binary() {
        for (String b : BINARIES) {
            if (Files.isExecutable(Path.of(b))) {
                return b;
            }
        }
        throw new JockerException("iptables not found: networking needs it for NAT and published ports"
                + " (apt-get install iptables, or bin/install-deps)");
    }

    /** Runs iptables -w ARGS; with check, a failure is an error naming the rule. */
    private static int run(boolean check, String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary(), "-w"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int code = p.waitFor();
            if (check && code != 0) {
                throw new JockerException("iptables " + String.join(" ", args) + ": " + out);
            }
            return code;
        } catch (IOException e) {
            throw new JockerException("iptables: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JockerException("iptables: interrupted");
        }
    }

    private static List<String> output(String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary(), "-w"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().toList();
        } catch (IOException e) {
            throw new JockerException("iptables: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JockerException("iptables: interrupted");
        }
    }
}
