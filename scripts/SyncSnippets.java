import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Rewrites the quoted Java blocks of markdown files from the marked regions of the example sources, the inverse of
 * the check SnippetsTest makes. Usage (from the repository root): {@code java scripts/SyncSnippets.java FILE.md...}.
 */
public final class SyncSnippets {

    private static final Pattern START = Pattern.compile("^\\s*// snippet:([\\w-]+)\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*// end-snippet:([\\w-]+)\\s*$");
    private static final Pattern MD_BLOCK = Pattern.compile("(<!-- snippet:([\\w-]+) -->\\s*\\n```java\\n)(.*?)(```)",
            Pattern.DOTALL);

    public static void main(String[] args) throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("distiller-examples/src/main/java/ai/distill4j/examples"))) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            String open = null;
            List<String> body = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Matcher start = START.matcher(line);
                if (start.matches()) {
                    open = start.group(1);
                    body.clear();
                } else if (END.matcher(line).matches()) {
                    regions.put(open, dedent(body));
                    open = null;
                } else if (open != null) {
                    body.add(line);
                }
            }
        }
        for (String arg : args) {
            Path md = Path.of(arg);
            String text = Files.readString(md, StandardCharsets.UTF_8);
            Matcher m = MD_BLOCK.matcher(text);
            StringBuilder out = new StringBuilder();
            int n = 0;
            while (m.find()) {
                String region = regions.get(m.group(2));
                if (region == null) {
                    throw new IllegalArgumentException(md + ": no example source marks snippet " + m.group(2));
                }
                m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + region + m.group(4)));
                n++;
            }
            m.appendTail(out);
            Files.writeString(md, out.toString(), StandardCharsets.UTF_8);
            System.out.println(md + ": " + n + " snippet(s) synced");
        }
    }

    private static String dedent(List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return sb.toString();
    }
}
