package jocker.network;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A container's /etc files as docker writes them. */
class EtcFilesTest {
    private static final String HOST = "# made by resolvconf\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver ::1\n"
            + "search example.com lan\noptions edns0 trust-ad\n";

    @Test
    void theHostsResolversButTheLoopbackOnes() {
        assertEquals("nameserver 10.0.0.2\nsearch example.com lan\noptions edns0 trust-ad\n",
                EtcFiles.resolvConf(HOST, List.of(), List.of(), List.of()));
    }

    @Test
    void googlesWhenOnlyLoopbackOnesAreLeft() {
        assertEquals("nameserver 8.8.8.8\nnameserver 8.8.4.4\n",
                EtcFiles.resolvConf("nameserver 127.0.0.53\n", List.of(), List.of(), List.of()));
    }

    @Test
    void theFlagsReplaceTheirLines() {
        assertEquals("nameserver 1.1.1.1\nsearch corp\noptions ndots:2\n",
                EtcFiles.resolvConf(HOST, List.of("1.1.1.1"), List.of("corp"), List.of("ndots:2")));
        assertEquals("nameserver 10.0.0.2\noptions edns0 trust-ad\n",
                EtcFiles.resolvConf(HOST, List.of(), List.of("."), List.of()), "--dns-search . drops the search line");
    }

    @Test
    void hostsWithAddHostLinesAndTheContainersOwnName() {
        assertEquals("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
                        + "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n"
                        + "10.9.9.9\tdb\n10.200.0.2\tabc123\n",
                EtcFiles.hosts(List.of("db:10.9.9.9"), "10.200.0.2", "abc123"));
    }

    @Test
    void peersAreRewrittenInPlaceKeepingTheInode(@TempDir Path tmp) throws Exception {
        Path hosts = tmp.resolve("hosts");
        Files.writeString(hosts, EtcFiles.hosts(List.of(), "10.1.0.2", "me"));
        Object inode = Files.readAttributes(hosts, BasicFileAttributes.class).fileKey();
        EtcFiles.writePeers(hosts, List.of("10.1.0.3\tweb web-alias"));
        assertEquals(EtcFiles.hosts(List.of(), "10.1.0.2", "me") + EtcFiles.PEERS + "\n10.1.0.3\tweb web-alias\n",
                Files.readString(hosts));
        EtcFiles.writePeers(hosts, List.of());
        assertEquals(EtcFiles.hosts(List.of(), "10.1.0.2", "me"), Files.readString(hosts), "a peer that left is gone");
        assertEquals(inode, Files.readAttributes(hosts, BasicFileAttributes.class).fileKey(), "the bind-mounted inode stays");
    }
}
