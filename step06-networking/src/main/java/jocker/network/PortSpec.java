package jocker.network;

import jocker.network.ipam.Ipv4;
import jocker.sys.JockerException;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code -p} word, as docker reads it: [IP:][HOSTPORT:]CONTAINERPORT[/PROTO],
 * where either port may be a range (8000-8010); a container port alone, or
 * an empty host port, gets a free one from the kernel.
 *
 * @param hostFirst 0 for any free port; with hostLast &gt; hostFirst, the first free one of that range
 */
public record PortSpec(String proto, String hostIp, int hostFirst, int hostLast, int containerPort) {
    // tag::port-spec[]
    /** The ports of one -p word (one for each port of a range), or docker's error. */
    public static List<PortSpec> parse(String raw) {
        String[] parts = raw.split(":", -1);
        String ip = "", host = "", container;
        if (parts.length == 1) {
            container = parts[0];
        } else if (parts.length == 2) {
            host = parts[0];
            container = parts[1];
        } else {
            ip = String.join(":", java.util.Arrays.copyOf(parts, parts.length - 2));
            host = parts[parts.length - 2];
            container = parts[parts.length - 1];
        }
        String proto = "tcp";
        int slash = container.indexOf('/');
        if (slash >= 0) {
            proto = container.substring(slash + 1).isEmpty() ? "tcp" : container.substring(slash + 1).toLowerCase();
            container = container.substring(0, slash);
        }
        if (container.isEmpty()) {
            throw new JockerException("no port specified: " + raw + "<empty>");
        }
        if (!List.of("tcp", "udp", "sctp").contains(proto)) {
            throw new JockerException("invalid proto: " + proto);
        }
        if (proto.equals("sctp")) {
            throw new JockerException("sctp ports are not supported by jocker's userland proxy: " + raw);
        }
        if (!ip.isEmpty()) {
            if (ip.startsWith("[")) {
                throw new JockerException("IPv6 host addresses are not supported: " + ip);
            }
            Ipv4.parse(ip); // "invalid IP address: X"
        }
        int[] c = range(container, "invalid containerPort: " + container);
        int[] h = host.isEmpty() ? new int[] {0, 0} : range(host, "invalid hostPort: " + host);
        if (!host.isEmpty() && c[1] - c[0] != h[1] - h[0] && c[1] != c[0]) {
            throw new JockerException("invalid ranges specified for container and host Ports: " + container + " and " + host);
        }
        List<PortSpec> out = new ArrayList<>();
        int count = c[1] - c[0] + 1;
        for (int i = 0; i < count; i++) {
            int hf = host.isEmpty() ? 0 : h[0] + i;
            int hl = host.isEmpty() ? 0 : count == 1 ? h[1] : hf;
            out.add(new PortSpec(proto, ip.isEmpty() ? "0.0.0.0" : ip, hf, hl, c[0] + i));
        }
        return out;
    }
    // end::port-spec[]

    private static int[] range(String s, String error) {
        int dash = s.indexOf('-');
        int start = number(dash < 0 ? s : s.substring(0, dash), error);
        if (dash < 0) {
            return new int[] {start, start};
        }
        int end = number(s.substring(dash + 1), error);
        if (end < start) {
            throw new JockerException(error);
        }
        return new int[] {start, end};
    }

    private static int number(String s, String error) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit) || Integer.parseInt(s) > 65535) {
            throw new JockerException(error);
        }
        return Integer.parseInt(s);
    }

    /** An image's EXPOSE key: "80/tcp", "53/udp", "8080" (tcp). */
    public static PortSpec exposed(String key) {
        int slash = key.indexOf('/');
        String proto = slash < 0 ? "tcp" : key.substring(slash + 1).toLowerCase();
        int port = number(slash < 0 ? key : key.substring(0, slash), "invalid containerPort: " + key);
        return new PortSpec(proto, "0.0.0.0", 0, 0, port);
    }
}
