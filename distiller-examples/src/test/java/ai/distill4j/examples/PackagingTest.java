package ai.distill4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The published POMs stay consistent: the BOM pins every module at the reactor's version and the DJL versions the
 * parent builds with, every module has a name and description (the rest of the metadata is inherited from the
 * parent), and the consumer check project stays outside the reactor and takes its versions from the BOM only.
 */
class PackagingTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static Element read(String path) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        Document d = f.newDocumentBuilder().parse(ROOT.resolve(path).toFile());
        return d.getDocumentElement();
    }

    private static Element child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static String text(Element e, String name) {
        Element c = child(e, name);
        return c == null ? null : c.getTextContent().trim();
    }

    private static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        if (e == null) {
            return out;
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                out.add(c);
            }
        }
        return out;
    }

    private static List<Element> managed(Element pom) {
        return children(child(child(pom, "dependencyManagement"), "dependencies"), "dependency");
    }

    private static Map<String, String> properties(Element pom) {
        Map<String, String> p = new LinkedHashMap<>();
        NodeList list = child(pom, "properties").getChildNodes();
        for (int i = 0; i < list.getLength(); i++) {
            if (list.item(i) instanceof Element e) {
                p.put(e.getTagName(), e.getTextContent().trim());
            }
        }
        return p;
    }

    @Test
    void theBomPinsEveryModuleAtTheReactorVersionAndTheParentsDjlVersions() throws Exception {
        Element parent = read("pom.xml");
        Element bom = read("distill4j-bom/pom.xml");
        String version = text(parent, "version");
        assertEquals(version, text(bom, "version"), "the BOM is released with the modules");
        assertEquals(null, child(bom, "parent"), "the BOM stands alone, so importing it brings nothing else");
        Map<String, String> pinned = new LinkedHashMap<>();
        for (Element d : managed(bom)) {
            String key = text(d, "groupId") + ":" + text(d, "artifactId")
                    + (text(d, "classifier") == null ? "" : ":" + text(d, "classifier"));
            pinned.put(key, text(d, "version"));
        }
        for (Element module : children(child(parent, "modules"), "module")) {
            String name = module.getTextContent().trim();
            if (!name.equals("distill4j-bom")) {
                assertEquals("${project.version}", pinned.get("ai.distill4j:" + name), "module " + name);
            }
        }
        Map<String, String> parentProps = properties(parent);
        Map<String, String> bomProps = properties(bom);
        for (String p : List.of("djl.version", "pytorch.native.version", "pytorch.jni.version",
                "project.build.outputTimestamp")) {
            assertEquals(parentProps.get(p), bomProps.get(p), "property " + p);
        }
        for (String classifier : List.of("linux-x86_64", "linux-aarch64", "osx-aarch64", "win-x86_64")) {
            assertEquals("${pytorch.native.version}", pinned.get("ai.djl.pytorch:pytorch-native-cpu:" + classifier),
                    classifier);
        }
        assertEquals("${djl.version}", pinned.get("ai.djl:api"));
        assertEquals("${djl.version}", pinned.get("ai.djl.pytorch:pytorch-engine"));
        assertEquals("${pytorch.jni.version}", pinned.get("ai.djl.pytorch:pytorch-jni"));
    }

    @Test
    void everyPublishedPomCarriesTheMetadataCentralAsksFor() throws Exception {
        Element parent = read("pom.xml");
        for (String field : List.of("name", "description", "url")) {
            assertFalse(text(parent, field) == null || text(parent, field).isBlank(), "parent " + field);
        }
        assertTrue(text(child(child(parent, "licenses"), "license"), "name").contains("Apache"));
        assertTrue(text(child(parent, "scm"), "connection").startsWith("scm:git:"));
        assertFalse(children(child(parent, "developers"), "developer").isEmpty());
        for (Element module : children(child(parent, "modules"), "module")) {
            String name = module.getTextContent().trim();
            Element pom = read(name + "/pom.xml");
            assertFalse(text(pom, "name") == null || text(pom, "name").isBlank(), name + " name");
            assertFalse(text(pom, "description") == null || text(pom, "description").isBlank(), name + " description");
            if (child(pom, "parent") == null) {
                assertTrue(child(pom, "licenses") != null && child(pom, "scm") != null
                        && child(pom, "developers") != null && text(pom, "url") != null,
                        name + " has no parent, so it declares licenses, scm, developers and url itself");
            } else {
                assertEquals("distill4j-parent", text(child(pom, "parent"), "artifactId"), name);
            }
        }
    }

    @Test
    void theConsumerProjectIsOutsideTheReactorAndTakesEveryDistill4jVersionFromTheBom() throws Exception {
        Element parent = read("pom.xml");
        for (Element module : children(child(parent, "modules"), "module")) {
            assertFalse(module.getTextContent().trim().startsWith("consumer"), "consumer/ must not be a module");
        }
        Element consumer = read("consumer/pom.xml");
        assertEquals(null, child(consumer, "parent"), "the consumer does not inherit the build's settings");
        assertEquals(text(parent, "version"), properties(consumer).get("distill4j.version"));
        List<Element> imports = managed(consumer);
        assertEquals(1, imports.size());
        assertEquals("distill4j-bom", text(imports.get(0), "artifactId"));
        assertEquals("import", text(imports.get(0), "scope"));
        boolean usesCore = false;
        for (Element d : children(child(consumer, "dependencies"), "dependency")) {
            if ("ai.distill4j".equals(text(d, "groupId"))) {
                assertEquals(null, text(d, "version"), text(d, "artifactId") + " takes its version from the BOM");
                usesCore |= "distiller-core".equals(text(d, "artifactId"));
            }
        }
        assertTrue(usesCore);
    }

    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public (final |abstract |sealed )*(class|interface|record|enum|@interface) ", Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    /** The source files of the public top-level types of the library modules. */
    private static List<Path> publicTypeSources() throws Exception {
        List<Path> out = new ArrayList<>();
        for (String module : List.of("distiller-losses", "distiller-core")) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            }
            for (Path f : files) {
                if (PUBLIC_TYPE.matcher(Files.readString(f)).find()) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    @Test
    void everyPublicTypeOfTheLibraryModulesSaysSinceWhichVersion() throws Exception {
        List<Path> sources = publicTypeSources();
        assertTrue(sources.size() > 100, "found " + sources.size() + " public types");
        List<String> missing = new ArrayList<>();
        for (Path f : sources) {
            if (!Files.readString(f).contains("@since ")) {
                missing.add(ROOT.relativize(f).toString());
            }
        }
        assertEquals(List.of(), missing, "public types without @since");
    }

    @Test
    void docsLibraryMdListsExactlyThePublicTypesOfEachPackage() throws Exception {
        Map<String, TreeSet<String>> actual = new TreeMap<>();
        for (Path f : publicTypeSources()) {
            Matcher m = PACKAGE.matcher(Files.readString(f));
            assertTrue(m.find(), f.toString());
            String name = f.getFileName().toString();
            actual.computeIfAbsent(m.group(1), k -> new TreeSet<>())
                    .add(name.substring(0, name.length() - ".java".length()));
        }
        Map<String, TreeSet<String>> listed = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| `(ai\\.distill4j[\\w.]*)` \\| [\\w-]+ \\| [^|]+ \\| ([\\w, ]+) \\|$",
                Pattern.MULTILINE);
        Matcher m = row.matcher(Files.readString(ROOT.resolve("docs/library.md")));
        while (m.find()) {
            listed.put(m.group(1), new TreeSet<>(List.of(m.group(2).trim().split(",\\s*"))));
        }
        assertEquals(actual, listed, "docs/library.md, 'The public types, by package', is out of date");
    }
}
