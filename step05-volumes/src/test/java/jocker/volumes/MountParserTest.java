package jocker.volumes;

import jocker.sys.JockerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** -v, --mount, --tmpfs and --volumes-from as docker parses them, with docker's messages for each bad one. */
class MountParserTest {
    @TempDir
    Path tmp;

    /** The message of the JockerException parse throws; any other outcome fails, saying what it was. */
    private static String error(Runnable parse) {
        try {
            parse.run();
        } catch (JockerException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            throw new AssertionError("expected a JockerException, got " + e, e);
        }
        throw new AssertionError("expected a JockerException, nothing was thrown");
    }

    @Test
    void volumeFlagKinds() {
        MountRequest named = MountParser.parseVolume("data:/data:ro,nocopy");
        assertEquals(List.of("volume", "data", "/data"), List.of(named.type(), named.source(), named.target()));
        assertTrue(named.readOnly() && named.noCopy());
        MountRequest anonymous = MountParser.parseVolume("/cache/");
        assertEquals("volume", anonymous.type());
        assertNull(anonymous.source());
        assertEquals("/cache", anonymous.target());
        MountRequest bind = MountParser.parseVolume("/srv/../srv/site:/usr/share/www:Z,rshared");
        assertEquals(List.of("bind", "/srv/site", "/usr/share/www", "rshared"),
                List.of(bind.type(), bind.source(), bind.target(), bind.propagation()));
        assertTrue(bind.createSource() && !bind.readOnly(), "-v makes a missing host directory");
        assertEquals("rprivate", MountParser.parseVolume("/a:/b").propagation());
    }

    @Test
    void badVolumeFlags() {
        assertEquals("invalid volume specification: ':/data'", error(() -> MountParser.parseVolume(":/data")));
        assertEquals("invalid volume specification: 'a:/b:ro:x'", error(() -> MountParser.parseVolume("a:/b:ro:x")));
        assertEquals("invalid volume specification: '/data:ro'", error(() -> MountParser.parseVolume("/data:ro")));
        assertEquals("invalid mode: rw,ro", error(() -> MountParser.parseVolume("d:/d:rw,ro")));
        assertEquals("invalid mode: fast", error(() -> MountParser.parseVolume("d:/d:fast")));
        assertEquals("invalid volume specification: 'd:rel': invalid mount config for type \"volume\": invalid mount"
                + " path: 'rel' mount path must be absolute", error(() -> MountParser.parseVolume("d:rel")));
        assertEquals("invalid volume specification: '/h:/': invalid mount config for type \"bind\": invalid"
                + " specification: destination can't be '/'", error(() -> MountParser.parseVolume("/h:/")));
        assertEquals("invalid volume specification: 'd:/d:shared': invalid mount config for type \"volume\": field"
                + " BindOptions must not be specified", error(() -> MountParser.parseVolume("d:/d:shared")));
        assertEquals("invalid volume specification: '/d:/d:nocopy': invalid mount config for type \"bind\": field"
                + " VolumeOptions must not be specified", error(() -> MountParser.parseVolume("/d:/d:nocopy")));
        assertTrue(error(() -> MountParser.parseVolume("x:/d")).endsWith("volume name is too short, names should be"
                + " at least two alphanumeric characters"));
        assertTrue(error(() -> MountParser.parseVolume("./rel:/d")).endsWith("\"./rel\" includes invalid characters"
                + " for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a"
                + " host directory, use absolute path"));
    }

    @Test
    void mountFlag() {
        MountRequest v = MountParser.parseMount("type=volume,src=data,dst=/data,volume-nocopy,volume-label=a=b,readonly=1");
        assertEquals(List.of("volume", "data", "/data"), List.of(v.type(), v.source(), v.target()));
        assertTrue(v.noCopy() && v.readOnly());
        assertEquals("b", v.volumeLabels().get("a"));
        assertEquals("volume", MountParser.parseMount("target=/anon").type(), "volume is the default type");
        MountRequest b = MountParser.parseMount("type=bind,source=" + tmp + ",target=/h,bind-propagation=rslave,"
                + "bind-recursive=disabled");
        assertEquals("rslave", b.propagation());
        assertFalse(b.recursive() || b.createSource(), "--mount does not make a missing source");
        MountRequest t = MountParser.parseMount("type=tmpfs,destination=/t,tmpfs-size=64m,tmpfs-mode=1770");
        assertEquals(List.of("noexec", "nosuid", "nodev", "mode=1770", "size=64m"), t.tmpfsData());
        assertEquals("/a,b", MountParser.parseMount("type=volume,\"target=/a,b\"").target(), "a CSV quoted field");
    }

    @Test
    void badMountFlags() {
        String p = "invalid argument \"%s\" for \"--mount\" flag: ";
        assertEquals(p.formatted("type=bind,src=/x,target") + "invalid field 'target' must be a key=value pair",
                error(() -> MountParser.parseMount("type=bind,src=/x,target")));
        assertEquals(p.formatted("type=bind,colour=red") + "unknown option 'colour' in 'colour=red'",
                error(() -> MountParser.parseMount("type=bind,colour=red")));
        assertEquals(p.formatted("type=volume,target=/d,bind-propagation=shared")
                        + "cannot mix 'bind-*' options with mount type 'volume'",
                error(() -> MountParser.parseMount("type=volume,target=/d,bind-propagation=shared")));
        assertEquals(p.formatted("type=tmpfs,target=/t,tmpfs-size=lots") + "invalid value for tmpfs-size: lots",
                error(() -> MountParser.parseMount("type=tmpfs,target=/t,tmpfs-size=lots")));
        assertEquals(p.formatted("target=/d,ro=yes") + "invalid value for 'ro': invalid boolean value (\"yes\"): must"
                + " be one of \"true\", \"1\", \"false\", or \"0\" (default \"true\")",
                error(() -> MountParser.parseMount("target=/d,ro=yes")));
        assertEquals(p.formatted("type=bind,src=/a,target=/b,bind-recursive=readonly") + "option"
                + " 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction",
                error(() -> MountParser.parseMount("type=bind,src=/a,target=/b,bind-recursive=readonly")));
        assertEquals("invalid mount config for type \"bind\": bind source path does not exist: " + tmp + "/none",
                error(() -> MountParser.parseMount("type=bind,source=" + tmp + "/none,target=/x")));
        assertEquals("invalid mount config for type \"tmpfs\": field Source must not be specified",
                error(() -> MountParser.parseMount("type=tmpfs,source=x,target=/t")));
        assertEquals("invalid mount config for type \"volume\": field Target must not be empty",
                error(() -> MountParser.parseMount("type=volume,source=data")));
        assertEquals("invalid mount config for type \"bind\": invalid propagation mode: sideways",
                error(() -> MountParser.parseMount("type=bind,source=/,target=/x,bind-propagation=sideways")));
        assertEquals("invalid mount config for type \"nfs\": mount type unknown",
                error(() -> MountParser.parseMount("type=nfs,target=/x")));
    }

    @Test
    void tmpfsFlag() {
        MountRequest t = MountParser.parseTmpfs("/run:rw,exec,size=64k");
        assertEquals(List.of("noexec", "nosuid", "nodev", "rw", "exec", "size=64k"), t.tmpfsData(),
                "docker's defaults, then the user's words, which win");
        assertEquals(MountParser.TMPFS_DEFAULTS, MountParser.parseTmpfs("/run").tmpfsData());
        assertEquals("invalid mount config for type \"tmpfs\": invalid mount path: 'run' mount path must be absolute",
                error(() -> MountParser.parseTmpfs("run")));
    }

    @Test
    void volumesFrom() {
        assertEquals(new MountParser.VolumesFrom("data", null), MountParser.parseVolumesFrom("data"));
        assertEquals(new MountParser.VolumesFrom("data", true), MountParser.parseVolumesFrom("data:ro"));
        assertEquals(new MountParser.VolumesFrom("data", false), MountParser.parseVolumesFrom("data:rw,z"));
        assertEquals("invalid mode: rshared", error(() -> MountParser.parseVolumesFrom("data:rshared")));
        assertEquals("invalid mode: nocopy", error(() -> MountParser.parseVolumesFrom("data:nocopy")));
        assertEquals("volumes-from specification cannot be an empty string", error(() -> MountParser.parseVolumesFrom("")));
    }

    @Test
    void sizesAndPaths() {
        assertEquals(64L << 20, MountParser.ramInBytes("64m"));
        assertEquals(64L << 20, MountParser.ramInBytes("64MiB"));
        assertEquals(1536L << 20, MountParser.ramInBytes("1.5g"));
        assertEquals(100, MountParser.ramInBytes("100"));
        assertEquals(-1, MountParser.ramInBytes("-5m"));
        assertEquals("1g", MountParser.sizeWithSuffix(1L << 30));
        assertEquals("1536k", MountParser.sizeWithSuffix(1536L << 10));
        assertEquals("1000", MountParser.sizeWithSuffix(1000));
        assertEquals("/a/c", MountParser.cleanPath("/a/./b/../c//"));
        assertEquals("/", MountParser.cleanPath("/.."));
    }
}
