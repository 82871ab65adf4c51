package ai.distill4j.examples.embedding;

import ai.distill4j.examples.data.LabeledEmail;
import java.util.ArrayList;
import java.util.List;

/**
 * A retrieval task made from emails: each subject is a query and the email's own body its one relevant document,
 * ranked among the bodies of all the other emails of the task.
 *
 * <p>Emails with a blank subject or body are skipped; the first {@code limit} remaining emails, in the order given
 * (the spam files are in a seeded hash order), make the task.
 *
 * @param queries the subjects
 * @param documents the bodies; {@code documents.get(i)} is the answer to {@code queries.get(i)}
 * @since 0.1.0
 */
public record SubjectBodyRetrieval(List<String> queries, List<String> documents) {

    /**
     * Copies the lists.
     *
     * @param queries the subjects
     * @param documents the bodies, aligned with the queries
     */
    public SubjectBodyRetrieval {
        queries = List.copyOf(queries);
        documents = List.copyOf(documents);
        if (queries.size() != documents.size()) {
            throw new IllegalArgumentException("queries has " + queries.size() + " entries, documents "
                    + documents.size());
        }
    }

    /**
     * Builds the task from emails.
     *
     * @param emails e.g. the test split
     * @param limit the most queries
     * @return the task
     * @throws IllegalArgumentException when fewer than two emails have both a subject and a body
     */
    public static SubjectBodyRetrieval of(List<LabeledEmail> emails, int limit) {
        List<String> q = new ArrayList<>();
        List<String> d = new ArrayList<>();
        for (LabeledEmail e : emails) {
            if (q.size() >= limit) {
                break;
            }
            if (!e.subject().isBlank() && !e.body().isBlank()) {
                q.add(e.subject());
                d.add(e.body());
            }
        }
        if (q.size() < 2) {
            throw new IllegalArgumentException("a retrieval task needs at least 2 emails with a subject and a body, "
                    + "found " + q.size());
        }
        return new SubjectBodyRetrieval(q, d);
    }

    /**
     * Returns the relevant document of each query: query {@code i} to document {@code i}.
     *
     * @return {@code [0, 1, ..., n-1]}
     */
    public int[] relevantDocuments() {
        int[] r = new int[queries.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = i;
        }
        return r;
    }

    /**
     * Returns the number of queries.
     *
     * @return the size
     */
    public int size() {
        return queries.size();
    }
}
