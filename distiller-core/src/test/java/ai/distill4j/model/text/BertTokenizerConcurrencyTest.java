package ai.distill4j.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One tokenizer may be shared by threads: concurrent calls give exactly what one thread gets. */
class BertTokenizerConcurrencyTest {

    @TempDir
    Path tmp;

    private static final String[] WORDS = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "knowledge",
        "distillation", "compresses", "models", "Ünïcödé", "naïve", "café", "東京", "🙂", "multi-lingual", "don't"};

    private static List<String> texts(int n, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            int words = 1 + r.nextInt(40);
            for (int w = 0; w < words; w++) {
                b.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            }
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void concurrentEncodingEqualsSequentialEncoding() throws Exception {
        Path json = tmp.resolve("tokenizer.json");
        try (InputStream in = BertTokenizerConcurrencyTest.class.getResourceAsStream(
                "/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, json);
        }
        try (BertTokenizer tok = BertTokenizer.builder(json).maxLength(32).truncation(true)
                .padding(BertTokenizer.Padding.LONGEST).build()) {
            int threads = 4;
            int rounds = 150;
            List<List<String>> work = new ArrayList<>();
            List<TokenizedBatch> expected = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                List<String> batch = texts(1 + i % 5, i);
                work.add(batch);
                expected.add(tok.encode(batch));
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<TokenizedBatch>>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    final int offset = t;
                    futures.add(pool.submit(() -> {
                        List<TokenizedBatch> out = new ArrayList<>();
                        for (int i = 0; i < rounds; i++) {
                            out.add(tok.encode(work.get((i + offset * 37) % rounds)));
                        }
                        return out;
                    }));
                }
                for (int t = 0; t < threads; t++) {
                    List<TokenizedBatch> got = futures.get(t).get(120, TimeUnit.SECONDS);
                    for (int i = 0; i < rounds; i++) {
                        TokenizedBatch want = expected.get((i + t * 37) % rounds);
                        TokenizedBatch have = got.get(i);
                        assertEquals(want.size(), have.size());
                        for (int row = 0; row < want.size(); row++) {
                            assertArrayEquals(want.ids()[row], have.ids()[row], "thread " + t + ", call " + i);
                            assertArrayEquals(want.mask()[row], have.mask()[row]);
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
