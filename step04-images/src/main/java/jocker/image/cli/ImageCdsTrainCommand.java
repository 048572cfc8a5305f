package jocker.image.cli;

import jocker.cli.CdsTrainCommand;
import jocker.cli.Cli;
import jocker.layers.TreeCopy;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Hidden: step 1's walk through a container start, then the image commands
 * on a throwaway store, so that the class-data archive bin/step04 records
 * holds the classes they use too (Jackson's for image JSON, tar and gzip,
 * the store). Registries are left out: the HTTP client would keep the JVM
 * from writing the archive at exit (see Step04.main).
 */
@Command(name = "cds-train", hidden = true)
public class ImageCdsTrainCommand extends CdsTrainCommand {
    @Override
    public Integer call() throws Exception {
        super.call();
        Path scratch = Files.createTempDirectory("jocker-cds-train");
        try {
            Path rootfs = scratch.resolve("rootfs");
            Files.createDirectories(rootfs.resolve("etc"));
            Files.writeString(rootfs.resolve("etc/hostname"), "train\n");
            Files.createSymbolicLink(rootfs.resolve("hostname"), Path.of("etc/hostname"));
            String root = "--root=" + scratch.resolve("data");
            String archive = scratch.resolve("train.tar").toString();
            PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
            for (List<String> args : List.of(
                    List.of("import", root, "-c", "CMD [\"sh\"]", rootfs.toString(), "train:1"),
                    List.of("images", root),
                    List.of("inspect", root, "train:1"),
                    List.of("manifest", root, "train:1"),
                    List.of("history", root, "train:1"),
                    List.of("save", root, "-o", archive, "train:1"),
                    List.of("rmi", root, "train:1"),
                    List.of("load", root, "-i", archive))) {
                Cli.execute(new Step04(), nowhere, nowhere, args.toArray(String[]::new));
            }
        } finally {
            TreeCopy.deleteTree(scratch);
        }
        return 0;
    }
}
