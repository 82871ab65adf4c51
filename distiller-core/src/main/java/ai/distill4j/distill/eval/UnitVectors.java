package ai.distill4j.distill.eval;

/**
 * A set of vectors scaled to unit length (in double precision), so that dot products are cosine similarities. A
 * zero vector stays zero (its cosine with anything is 0), as {@code torch.nn.functional.normalize} leaves it.
 */
final class UnitVectors {

    private final double[][] rows;
    private final int width;

    private UnitVectors(double[][] rows, int width) {
        this.rows = rows;
        this.width = width;
    }

    /**
     * Normalises vectors.
     *
     * @param vectors the vectors, all of one width
     * @param what a name for messages, e.g. {@code teacher vectors}
     * @return the unit vectors
     * @throws IllegalArgumentException when rows differ in width or hold a non-finite value
     */
    static UnitVectors of(float[][] vectors, String what) {
        if (vectors == null) {
            throw new IllegalArgumentException(what + " are null");
        }
        int d = vectors.length == 0 ? 0 : vectors[0].length;
        double[][] rows = new double[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            float[] v = vectors[i];
            if (v == null || v.length != d) {
                throw new IllegalArgumentException(what + ": row " + i + " has " + (v == null ? "no" : v.length)
                        + " values, row 0 has " + d);
            }
            double norm = 0;
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException(what + ": row " + i + " holds the non-finite value " + x);
                }
                norm += (double) x * x;
            }
            norm = Math.max(Math.sqrt(norm), 1e-12);
            double[] r = new double[d];
            for (int j = 0; j < d; j++) {
                r[j] = v[j] / norm;
            }
            rows[i] = r;
        }
        return new UnitVectors(rows, d);
    }

    int size() {
        return rows.length;
    }

    int width() {
        return width;
    }

    /** The cosine similarity of row {@code i} here and row {@code j} of {@code other} (same width). */
    double cosine(int i, UnitVectors other, int j) {
        double[] a = rows[i];
        double[] b = other.rows[j];
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    /** The cosine similarity of rows {@code i} and {@code j} of this set. */
    double cosine(int i, int j) {
        return cosine(i, this, j);
    }

    /** Every row's cosine with every row of {@code other}: {@code [size()][other.size()]}. */
    double[][] cosines(UnitVectors other) {
        double[][] out = new double[rows.length][other.rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < other.rows.length; j++) {
                out[i][j] = cosine(i, other, j);
            }
        }
        return out;
    }
}
