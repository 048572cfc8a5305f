package jocker.network;

import jocker.network.ipam.Ipv4;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's /etc/hosts, /etc/hostname and /etc/resolv.conf: files of
 * its own on the host, bind-mounted over the image's, as docker makes them.
 */
public final class EtcFiles {
    public static final String HOSTS = "hosts", HOSTNAME = "hostname", RESOLV = "resolv.conf";
    /** what starts the lines of the other containers of a user network, in a hosts file */
    static final String PEERS = "# jocker: containers on the same user networks (step 8's daemon answers these by DNS)";

    private EtcFiles() {}

    /** docker's /etc/hosts: localhost, the IPv6 names, --add-host lines, then the container's own address and name. */
    public static String hosts(List<String> extraHosts, String ownIp, String hostname) {
        StringBuilder s = new StringBuilder();
        s.append("127.0.0.1\tlocalhost\n");
        s.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        s.append("fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        s.append(extraHosts(extraHosts));
        if (ownIp != null) {
            s.append(ownIp).append('\t').append(hostname).append('\n');
        }
        return s.toString();
    }

    /** --add-host HOST:IP words as hosts lines (IP, a tab, HOST). */
    public static String extraHosts(List<String> extraHosts) {
        StringBuilder s = new StringBuilder();
        for (String h : extraHosts) {
            int colon = h.indexOf(':');
            s.append(h, colon + 1, h.length()).append('\t').append(h, 0, colon).append('\n');
        }
        return s.toString();
    }

    // tag::resolv[]
    /**
     * The host's resolv.conf for a container: its nameservers but the
     * loopback ones (127.0.0.53 answers in the host's namespace, not in the
     * container's), or Google's if none is left, as docker does; --dns,
     * --dns-search and --dns-option replace their lines.
     */
    public static String resolvConf(String host, List<String> dns, List<String> search, List<String> options) {
        List<String> servers = new ArrayList<>(), searches = new ArrayList<>(), opts = new ArrayList<>(), other = new ArrayList<>();
        for (String line : host.lines().toList()) {
            String[] w = line.trim().split("\\s+");
            switch (w[0]) {
                case "nameserver" -> {
                    if (w.length > 1 && !isLoopback(w[1])) {
                        servers.add(w[1]);
                    }
                }
                case "search", "domain" -> searches.addAll(List.of(w).subList(1, w.length));
                case "options" -> opts.addAll(List.of(w).subList(1, w.length));
                default -> {
                    if (!line.isBlank() && !line.trim().startsWith("#") && !line.trim().startsWith(";")) {
                        other.add(line);
                    }
                }
            }
        }
        if (!dns.isEmpty()) {
            servers = dns;
        } else if (servers.isEmpty()) {
            servers = List.of("8.8.8.8", "8.8.4.4");
        }
        if (!search.isEmpty()) {
            searches = search.equals(List.of(".")) ? List.of() : search;
        }
        if (!options.isEmpty()) {
            opts = options;
        }
        StringBuilder s = new StringBuilder();
        other.forEach(l -> s.append(l).append('\n'));
        servers.forEach(n -> s.append("nameserver ").append(n).append('\n'));
        if (!searches.isEmpty()) {
            s.append("search ").append(String.join(" ", searches)).append('\n');
        }
        if (!opts.isEmpty()) {
            s.append("options ").append(String.join(" ", opts)).append('\n');
        }
        return s.toString();
    }
    // end::resolv[]

    private static boolean isLoopback(String ip) {
        if (ip.equals("::1")) {
            return true;
        }
        try {
            return Ipv4.parse(ip).isLoopback();
        } catch (RuntimeException e) {
            return false;
        }
    }

    // tag::sync[]
    /**
     * Rewrites the lines of a hosts file below PEERS with the other
     * containers it can reach by name. In place, never by rename: the file
     * is bind-mounted into a running container, and a bind mount holds the
     * inode, not the name.
     */
    static void writePeers(Path hosts, List<String> peerLines) throws IOException {
        if (!Files.isRegularFile(hosts)) {
            return;
        }
        String old = Files.readString(hosts);
        int at = old.indexOf(PEERS);
        StringBuilder s = new StringBuilder(at < 0 ? old : old.substring(0, at));
        if (!peerLines.isEmpty()) {
            s.append(PEERS).append('\n');
            peerLines.forEach(l -> s.append(l).append('\n'));
        }
        if (!s.toString().equals(old)) {
            Files.write(hosts, s.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }
    }
    // end::sync[]
}
