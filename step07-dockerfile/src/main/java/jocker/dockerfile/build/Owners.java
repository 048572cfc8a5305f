package jocker.dockerfile.build;

import jocker.storage.MergedLayers;
import jocker.sys.JockerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** --chown=USER[:GROUP]: numbers, or names from the image's /etc/passwd and /etc/group; no group: the user's number. */
final class Owners {
    private Owners() {}

    static Integer[] parse(String chown, MergedLayers image) throws IOException {
        int colon = chown.indexOf(':');
        String user = colon < 0 ? chown : chown.substring(0, colon);
        String group = colon < 0 ? null : chown.substring(colon + 1);
        int uid = id(user, "etc/passwd", image, chown);
        int gid = group == null ? uid : id(group, "etc/group", image, chown);
        return new Integer[] {uid, gid};
    }

    private static int id(String name, String file, MergedLayers image, String chown) throws IOException {
        if (name.matches("\\d+")) {
            return Integer.parseInt(name);
        }
        Path f = image == null ? null : image.entry(file);
        if (f != null && Files.isRegularFile(f)) {
            for (String line : Files.readAllLines(f)) {
                String[] parts = line.split(":");
                if (parts.length > 2 && parts[0].equals(name)) {
                    return Integer.parseInt(parts[2]);
                }
            }
        }
        throw new JockerException("unable to convert uid/gid chown string to host mapping: can't find uid for user "
                + name + ": no such user: " + name + " (--chown=" + chown + ")");
    }
}
