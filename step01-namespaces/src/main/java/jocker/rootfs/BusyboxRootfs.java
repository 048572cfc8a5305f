package jocker.rootfs;

import jocker.sys.FileTree;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a root filesystem from nothing but the host's busybox-static: one
 * statically linked binary that is every Unix tool, plus a symlink per tool
 * name, the directories a container expects, and the /etc/passwd and
 * /etc/group of docker's busybox image. No download, no package manager.
 */
public final class BusyboxRootfs {
    private BusyboxRootfs() {}

    public static final Path DEFAULT_BUSYBOX = Path.of("/bin/busybox");

    private static final String[] DIRS = {
        "bin", "sbin", "usr/bin", "usr/sbin", "etc", "dev", "proc", "sys", "tmp", "root", "home",
        "var", "var/tmp", "var/spool/mail", "var/www", "run",
    };

    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            daemon:x:1:1:daemon:/usr/sbin:/bin/false
            bin:x:2:2:bin:/bin:/bin/false
            sys:x:3:3:sys:/dev:/bin/false
            sync:x:4:100:sync:/bin:/bin/sync
            mail:x:8:8:mail:/var/spool/mail:/bin/false
            www-data:x:33:33:www-data:/var/www:/bin/false
            operator:x:37:37:Operator:/var:/bin/false
            nobody:x:65534:65534:nobody:/home:/bin/false
            """;

    private static final String GROUP = """
            root:x:0:
            daemon:x:1:
            bin:x:2:
            sys:x:3:
            adm:x:4:
            tty:x:5:
            disk:x:6:
            lp:x:7:
            mail:x:8:
            kmem:x:9:
            wheel:x:10:root
            cdrom:x:11:
            dialout:x:18:
            floppy:x:19:
            video:x:28:
            audio:x:29:
            tape:x:32:
            www-data:x:33:
            operator:x:37:
            utmp:x:43:
            plugdev:x:46:
            staff:x:50:
            lock:x:54:
            netdev:x:82:
            users:x:100:
            nogroup:x:65534:
            """;

    /**
     * Builds the rootfs in a temporary sibling directory and renames it into
     * place, so an interrupted build never leaves a half-made rootfs at dir.
     *
     * @return the number of applet links made
     */
    public static int create(Path dir, Path busybox) throws IOException {
        if (!Files.isRegularFile(busybox)) {
            throw new IOException(busybox + ": no such file (install it with: apt-get install busybox-static)");
        }
        if (!Elf.isStatic(busybox)) {
            throw new IOException(busybox + " is dynamically linked: it needs libraries a rootfs would not have"
                    + " (install busybox-static)");
        }
        if (Files.exists(dir) && !isEmptyDirectory(dir)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not empty");
        }
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp");
        try {
            int links = populate(tmp, busybox);
            Files.deleteIfExists(dir);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return links;
        } catch (IOException | RuntimeException e) {
            FileTree.delete(tmp);
            throw e;
        }
    }

    private static int populate(Path root, Path busybox) throws IOException {
        for (String d : DIRS) {
            Files.createDirectories(root.resolve(d));
        }
        Files.setPosixFilePermissions(root.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(root.resolve("var/tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        setSticky(root.resolve("tmp"));
        setSticky(root.resolve("var/tmp"));
        Files.setPosixFilePermissions(root.resolve("root"), PosixFilePermissions.fromString("rwx------"));

        Path target = root.resolve("bin/busybox");
        Files.copy(busybox, target);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));

        int links = 0;
        for (String applet : listApplets(busybox)) {
            Path link = root.resolve(applet);
            if (applet.equals("bin/busybox") || Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of("/bin/busybox"));
            links++;
        }
        Files.writeString(root.resolve("etc/passwd"), PASSWD);
        Files.writeString(root.resolve("etc/group"), GROUP);
        return links;
    }

    /** "bin/sh", "usr/bin/awk" ...: where each applet lives, as busybox itself says. */
    static List<String> listApplets(Path busybox) throws IOException {
        Process p = new ProcessBuilder(busybox.toString(), "--list-full").redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (p.waitFor() != 0) {
                throw new IOException(busybox + " --list-full failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing busybox applets", e);
        }
        List<String> applets = new ArrayList<>();
        for (String line : output.split("\n")) {
            String applet = line.strip();
            if (!applet.isEmpty() && !applet.startsWith("/") && !applet.contains("..")) {
                applets.add(applet);
            }
        }
        return applets;
    }

    private static void setSticky(Path dir) throws IOException {
        // java.nio has no sticky bit: chmod 1777 through the unix:mode attribute
        Files.setAttribute(dir, "unix:mode", 01777);
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

}
