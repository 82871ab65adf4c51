package ai.distill4j.model.sentence;

import com.google.gson.FormattingStyle;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes the small JSON files of a Sentence-Transformers folder: UTF-8, pretty-printed with the indent
 * Sentence-Transformers uses for that file, written to a sibling temporary file and renamed into place. Read
 * errors name the file and the key.
 */
final class JsonFile {

    private JsonFile() {}

    /**
     * Writes a JSON value.
     *
     * @param file the target
     * @param value the value
     * @param indent spaces per level (2 for {@code modules.json}, 4 for module configs, as Python's
     *     {@code json.dump(..., indent=n)})
     * @throws IOException when writing fails
     */
    static void write(Path file, JsonElement value, int indent) throws IOException {
        Gson gson = new GsonBuilder()
                .serializeNulls()
                .disableHtmlEscaping()
                .setFormattingStyle(FormattingStyle.PRETTY.withIndent(" ".repeat(indent)))
                .create();
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + System.nanoTime() + ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                gson.toJson(value, w);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a JSON value.
     *
     * @param file the file
     * @return the value
     * @throws IOException when the file is missing or not JSON
     */
    static JsonElement read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": missing");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(r);
        } catch (JsonParseException e) {
            throw new IOException(file + ": not valid JSON (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads a JSON object.
     *
     * @param file the file
     * @return the object
     * @throws IOException when the file is missing, not JSON or not an object
     */
    static JsonObject readObject(Path file) throws IOException {
        JsonElement e = read(file);
        if (!e.isJsonObject()) {
            throw new IOException(file + ": expected a JSON object, got " + e);
        }
        return e.getAsJsonObject();
    }

    /**
     * Returns a boolean field.
     *
     * @param file the file, for messages
     * @param o the object
     * @param key the key
     * @param fallback the value when the key is absent
     * @return the value
     * @throws IOException when the value is not a JSON boolean
     */
    static boolean bool(Path file, JsonObject o, String key, boolean fallback) throws IOException {
        JsonElement e = o.get(key);
        if (e == null) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new IOException(file + ": '" + key + "' = " + e + ": must be true or false");
        }
        return e.getAsBoolean();
    }

    /**
     * Returns an integer field.
     *
     * @param file the file, for messages
     * @param o the object
     * @param key the key
     * @return the value, or null when the key is absent or JSON null
     * @throws IOException when the value is not an integer
     */
    static Integer integer(Path file, JsonObject o, String key) throws IOException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double d = e.getAsDouble();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw new IOException(file + ": '" + key + "' = " + e + ": must be an integer");
    }

    /**
     * Returns a string field.
     *
     * @param file the file, for messages
     * @param o the object
     * @param key the key
     * @return the value, or null when the key is absent or JSON null
     * @throws IOException when the value is not a string
     */
    static String string(Path file, JsonObject o, String key) throws IOException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive() && ((JsonPrimitive) e).isString()) {
            return e.getAsString();
        }
        throw new IOException(file + ": '" + key + "' = " + e + ": must be a string");
    }
}
