namespace Datastream.Analytics.Tests;

/// <summary>
/// The acceptance reference for Step 4: plain Lloyd iterations in double precision with k-means++ (D²) seeding,
/// best mean squared distance over several seeds. Deliberately simple and independent of Microsoft.ML.
/// </summary>
internal static class ReferenceLloyd
{
    public static double BestMeanSquaredDistance(double[] x, double[] y, int k, int seeds)
    {
        double best = double.PositiveInfinity;
        for (int seed = 0; seed < seeds; seed++)
        {
            var (cx, cy) = Run(x, y, k, new Random(1000 + seed));
            best = Math.Min(best, IndependentScorer.MeanSquaredDistance(x, y, cx, cy));
        }

        return best;
    }

    private static (double[] Cx, double[] Cy) Run(double[] x, double[] y, int k, Random random)
    {
        int n = x.Length;
        var cx = new double[k];
        var cy = new double[k];
        int first = random.Next(n);
        cx[0] = x[first];
        cy[0] = y[first];
        var nearest = new double[n];
        for (int i = 0; i < n; i++)
        {
            nearest[i] = IndependentScorer.Squared(x[i], y[i], cx[0], cy[0]);
        }

        for (int c = 1; c < k; c++)
        {
            // Pick the next centre with probability proportional to the squared distance to the closest chosen one.
            double target = random.NextDouble() * nearest.Sum();
            int pick = n - 1;
            for (int i = 0; i < n; i++)
            {
                target -= nearest[i];
                if (target <= 0)
                {
                    pick = i;
                    break;
                }
            }

            cx[c] = x[pick];
            cy[c] = y[pick];
            for (int i = 0; i < n; i++)
            {
                nearest[i] = Math.Min(nearest[i], IndependentScorer.Squared(x[i], y[i], cx[c], cy[c]));
            }
        }

        var assignment = new int[n];
        Array.Fill(assignment, -1);
        for (int iteration = 0; iteration < 300; iteration++)
        {
            bool changed = false;
            for (int i = 0; i < n; i++)
            {
                int c = IndependentScorer.Nearest(x[i], y[i], cx, cy);
                changed |= c != assignment[i];
                assignment[i] = c;
            }

            if (!changed)
            {
                break;
            }

            var sx = new double[k];
            var sy = new double[k];
            var count = new int[k];
            for (int i = 0; i < n; i++)
            {
                sx[assignment[i]] += x[i];
                sy[assignment[i]] += y[i];
                count[assignment[i]]++;
            }

            for (int c = 0; c < k; c++)
            {
                if (count[c] > 0)
                {
                    cx[c] = sx[c] / count[c];
                    cy[c] = sy[c] / count[c];
                }
            }
        }

        return (cx, cy);
    }
}
