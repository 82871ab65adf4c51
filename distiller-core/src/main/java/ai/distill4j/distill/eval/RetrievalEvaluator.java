package ai.distill4j.distill.eval;

import ai.distill4j.distill.DistillModel;
import ai.distill4j.distill.callback.EvaluationCallback;
import ai.distill4j.model.pooling.SentenceEncoder;
import ai.distill4j.model.text.TokenizedBatch;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Semantic search quality of one encoder: every query is compared by cosine similarity with every document, and
 * the documents are ranked, highest first (equal scores: lower document index first). With {@code R_q} the
 * relevant documents of query {@code q} and {@code rank_q(d)} the 1-based rank of document {@code d}:
 *
 * <ul>
 *   <li>{@code recall@1}, {@code recall@10}: {@code mean_q |{d ∈ R_q : rank_q(d) <= k}| / |R_q|} (with one relevant
 *       document per query, the fraction of queries that find it in the top k);
 *   <li>{@code mrr}: the mean reciprocal rank of the best-ranked relevant document,
 *       {@code mean_q 1 / min_{d ∈ R_q} rank_q(d)}, over the full ranking.
 * </ul>
 *
 * <p>Standalone: {@link #score(float[][], float[][], int[][])} on vectors, or {@link #evaluate(SentenceEncoder)}
 * with any encoder (the teacher's score is the reference a student is measured against). During training it is the
 * run's {@link EvaluationCallback} and embeds queries and documents with the student's encoder.
 *
 * @since 0.1.0
 */
public final class RetrievalEvaluator implements EvaluationCallback {

    /** Recall within the first result. */
    public static final String RECALL_AT_1 = "recall@1";
    /** Recall within the first ten results. */
    public static final String RECALL_AT_10 = "recall@10";
    /** Mean reciprocal rank. */
    public static final String MRR = "mrr";

    private final HeldOutInputs queries;
    private final HeldOutInputs documents;
    private final int[][] relevant;
    private final TrainedStudent student;

    private RetrievalEvaluator(Builder b) {
        this.queries = b.queries;
        this.documents = b.documents;
        this.relevant = b.relevant;
        this.student = b.student;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scores a retrieval run.
     *
     * @param queryVectors {@code [Q][D]}
     * @param documentVectors {@code [N][D]}
     * @param relevant for each query, the indices of its relevant documents (at least one)
     * @return {@code recall@1}, {@code recall@10}, {@code mrr}
     * @throws IllegalArgumentException when the widths differ, a query has no relevant document, or an index is out
     *     of range
     */
    public static Map<String, Double> score(float[][] queryVectors, float[][] documentVectors, int[][] relevant) {
        UnitVectors q = UnitVectors.of(queryVectors, "query vectors");
        UnitVectors d = UnitVectors.of(documentVectors, "document vectors");
        checkRelevance(relevant, q.size(), d.size());
        if (q.size() == 0) {
            throw new IllegalArgumentException("retrieval needs at least one query");
        }
        if (q.width() != d.width()) {
            throw new IllegalArgumentException("query vectors have width " + q.width() + " but document vectors "
                    + d.width() + "; embed both with the same encoder");
        }
        double r1 = 0;
        double r10 = 0;
        double mrr = 0;
        double[] scores = new double[d.size()];
        for (int i = 0; i < q.size(); i++) {
            for (int j = 0; j < d.size(); j++) {
                scores[j] = q.cosine(i, d, j);
            }
            int[] rel = relevant[i];
            int best = Integer.MAX_VALUE;
            int in1 = 0;
            int in10 = 0;
            for (int doc : rel) {
                int rank = Rankings.rank(scores, doc);
                best = Math.min(best, rank);
                in1 += rank <= 1 ? 1 : 0;
                in10 += rank <= 10 ? 1 : 0;
            }
            r1 += (double) in1 / rel.length;
            r10 += (double) in10 / rel.length;
            mrr += 1.0 / best;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(RECALL_AT_1, r1 / q.size());
        out.put(RECALL_AT_10, r10 / q.size());
        out.put(MRR, mrr / q.size());
        return out;
    }

    private static void checkRelevance(int[][] relevant, int queries, int documents) {
        Objects.requireNonNull(relevant, "relevant");
        if (relevant.length != queries) {
            throw new IllegalArgumentException("relevant has " + relevant.length + " entries but there are " + queries
                    + " queries; give each query its relevant documents");
        }
        for (int i = 0; i < relevant.length; i++) {
            int[] r = relevant[i];
            if (r == null || r.length == 0) {
                throw new IllegalArgumentException("query " + i + " has no relevant document");
            }
            int[] sorted = r.clone();
            Arrays.sort(sorted);
            for (int k = 0; k < sorted.length; k++) {
                if (sorted[k] < 0 || sorted[k] >= documents) {
                    throw new IllegalArgumentException("query " + i + ": relevant document " + sorted[k]
                            + " is out of range 0.." + (documents - 1));
                }
                if (k > 0 && sorted[k] == sorted[k - 1]) {
                    throw new IllegalArgumentException("query " + i + ": relevant document " + sorted[k]
                            + " is listed twice");
                }
            }
        }
    }

    /**
     * Embeds queries and documents with one encoder and scores the ranking.
     *
     * @param encoder the encoder (the student's, or the teacher's for reference)
     * @return the metrics of {@link #score(float[][], float[][], int[][])}
     */
    public Map<String, Double> evaluate(SentenceEncoder encoder) {
        Objects.requireNonNull(encoder, "encoder");
        return score(queries.embed(encoder), documents.embed(encoder), relevant);
    }

    /**
     * Evaluates the student being trained (the engine's evaluation callback).
     *
     * @param studentModel the student as the engine runs it
     * @param step the global optimizer step
     * @return the metrics of {@link #score(float[][], float[][], int[][])}
     * @throws IllegalStateException when the evaluator was built without {@code student(...)}
     */
    @Override
    public Map<String, Double> evaluate(DistillModel<?, ?> studentModel, int step) {
        return evaluate(TrainedStudent.encoder(student, studentModel, "RetrievalEvaluator", "queries"));
    }

    /**
     * Builder of {@link RetrievalEvaluator}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private HeldOutInputs queries;
        private HeldOutInputs documents;
        private int[][] relevant;
        private TrainedStudent student;

        private Builder() {}

        /**
         * Sets the query texts.
         *
         * @param v the queries
         * @return this builder
         */
        public Builder queries(List<String> v) {
            queries = HeldOutInputs.ofTexts(v, "queries");
            return this;
        }

        /**
         * Sets the queries, already tokenized.
         *
         * @param v the tokens
         * @return this builder
         */
        public Builder queryTokens(TokenizedBatch v) {
            queries = HeldOutInputs.ofTokens(v, "query tokens");
            return this;
        }

        /**
         * Sets the document texts.
         *
         * @param v the documents
         * @return this builder
         */
        public Builder documents(List<String> v) {
            documents = HeldOutInputs.ofTexts(v, "documents");
            return this;
        }

        /**
         * Sets the documents, already tokenized.
         *
         * @param v the tokens
         * @return this builder
         */
        public Builder documentTokens(TokenizedBatch v) {
            documents = HeldOutInputs.ofTokens(v, "document tokens");
            return this;
        }

        /**
         * Sets the relevant documents of every query.
         *
         * @param v for each query, the indices of its relevant documents
         * @return this builder
         */
        public Builder relevant(int[][] v) {
            Objects.requireNonNull(v, "relevant");
            relevant = new int[v.length][];
            for (int i = 0; i < v.length; i++) {
                relevant[i] = v[i] == null ? null : v[i].clone();
            }
            return this;
        }

        /**
         * Sets one relevant document per query.
         *
         * @param v for each query, the index of its relevant document
         * @return this builder
         */
        public Builder relevantDocument(int[] v) {
            Objects.requireNonNull(v, "relevantDocument");
            relevant = new int[v.length][];
            for (int i = 0; i < v.length; i++) {
                relevant[i] = new int[] {v[i]};
            }
            return this;
        }

        /**
         * Sets the student's encoder used by the evaluation callback (wrap the very {@code BertModel} being trained).
         *
         * @param v the encoder
         * @return this builder
         */
        public Builder student(SentenceEncoder v) {
            student = TrainedStudent.of(v);
            return this;
        }

        /**
         * Sets how the evaluation callback gets an encoder for the student the engine passes.
         *
         * @param v from the engine's student to its encoder
         * @return this builder
         */
        public Builder student(Function<DistillModel<?, ?>, SentenceEncoder> v) {
            student = TrainedStudent.of(v);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the evaluator
         * @throws IllegalStateException when queries, documents or relevance are missing
         * @throws IllegalArgumentException when the relevance does not fit the queries and documents
         */
        public RetrievalEvaluator build() {
            if (queries == null || documents == null || relevant == null) {
                throw new IllegalStateException("RetrievalEvaluator needs queries, documents and relevant documents");
            }
            if (queries.size() == 0) {
                throw new IllegalArgumentException("retrieval needs at least one query");
            }
            checkRelevance(relevant, queries.size(), documents.size());
            return new RetrievalEvaluator(this);
        }
    }
}
