using Datastream.Embedded.Index;

namespace Datastream.Embedded.Tests.Index;

/// <summary>The writer's map of rides not keyed yet: appended in row order, sorted a run per lookup, dropped run by run.</summary>
public sealed class UnkeyedRidesTests
{
    [Fact]
    public void Every_ride_added_is_found_across_runs_and_no_other()
    {
        var rides = new UnkeyedRides(4);
        var ids = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            rides.Add(ids[i], i + 1);
            if (i % 7 == 3)
            {
                Assert.Equal(i + 1, rides.RowOf(ids[i])); // closes a run
            }
        }

        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(i + 1, rides.RowOf(ids[i]));
        }

        Assert.Equal(0, rides.RowOf(Guid.NewGuid()));
        Assert.Equal(50, rides.Count);
    }

    [Fact]
    public void Forgetting_drops_only_whole_runs_at_or_below_the_keyed_row()
    {
        var rides = new UnkeyedRides(64);
        var ids = Enumerable.Range(0, 30).Select(_ => Guid.NewGuid()).ToList();
        AddRun(rides, ids, 0, 10);   // rows 1–10
        AddRun(rides, ids, 10, 20);  // rows 11–20
        for (var i = 20; i < 30; i++)
        {
            rides.Add(ids[i], i + 1); // rows 21–30, not sorted yet
        }

        rides.ForgetThrough(15);
        Assert.Equal(20, rides.Count); // the run of rows 11–20 straddles 15 and stays
        Assert.Equal(0, rides.RowOf(ids[3]));
        Assert.Equal(12, rides.RowOf(ids[11]));
        Assert.Equal(30, rides.RowOf(ids[29]));

        rides.ForgetThrough(30);
        Assert.Equal(0, rides.Count);
        Assert.Equal(0, rides.RowOf(ids[29]));

        rides.Add(ids[0], 31);
        Assert.Equal(31, rides.RowOf(ids[0]));
    }

    [Fact]
    public void Without_lookups_the_keyed_entries_still_go()
    {
        var rides = new UnkeyedRides(8);
        var ids = Enumerable.Range(0, 1_000).Select(_ => Guid.NewGuid()).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            rides.Add(ids[i], i + 1);
            if ((i + 1) % 8 == 0)
            {
                rides.ForgetThrough(i - 2); // as generations are keyed, three rows behind the newest: at most 3 + 8 held
            }

            Assert.True(rides.Count <= 11, $"{rides.Count} entries held after row {i + 1}");
        }

        Assert.Equal(0, rides.RowOf(ids[990]));
        Assert.Equal(1_000, rides.RowOf(ids[999]));
    }

    private static void AddRun(UnkeyedRides rides, List<Guid> ids, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            rides.Add(ids[i], i + 1);
        }

        Assert.Equal(to, rides.RowOf(ids[to - 1]));
    }
}
