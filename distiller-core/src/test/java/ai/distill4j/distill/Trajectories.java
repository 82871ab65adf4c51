package ai.distill4j.distill;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test access to the golden trajectory folders copied into the test resources. */
public final class Trajectories {

    private Trajectories() {}

    /**
     * Copies a trajectory folder into a writable folder.
     *
     * @param name {@code trajectory-general} or {@code trajectory-schedules}
     * @param target the parent of the copy
     * @return the copy
     * @throws IOException when copying fails
     * @throws URISyntaxException never in practice
     */
    public static Path copy(String name, Path target) throws IOException, URISyntaxException {
        Path source = Path.of(Trajectories.class.getResource("/trajectories/" + name).toURI());
        Path dest = target.resolve(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path q = dest.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return dest;
    }

    /**
     * Reads a JSON-lines file.
     *
     * @param file the file
     * @return one object per non-blank line
     * @throws IOException when reading fails
     */
    public static List<JsonObject> readRows(Path file) throws IOException {
        List<JsonObject> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                rows.add(JsonParser.parseString(line).getAsJsonObject());
            }
        }
        return rows;
    }
}
