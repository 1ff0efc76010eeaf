using Datastream.Embedded.Index;

namespace Datastream.Embedded.Tests.Index;

/// <summary>
/// The writer's map of rides not keyed yet: appended in row order, sorted a run at a time once a lookup finds enough
/// unsorted entries, dropped as generations are keyed.
/// </summary>
public sealed class UnkeyedRidesTests
{
    private const int Run = UnkeyedRides.MinRunLength;

    [Fact]
    public void Every_ride_added_is_found_across_runs_and_no_other()
    {
        var rides = new UnkeyedRides(4);
        var ids = NewIds(3 * Run + 50);
        for (var i = 0; i < ids.Count; i++)
        {
            rides.Add(ids[i], i + 1);
            if (i % 700 == 3)
            {
                Assert.Equal(i + 1, rides.RowOf(ids[i]));
            }
        }

        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(i + 1, rides.RowOf(ids[i]));
        }

        Assert.Equal(0, rides.RowOf(Guid.NewGuid()));
        Assert.Equal(ids.Count, rides.Count);
        Assert.InRange(rides.RunCount, 1, 3);
    }

    [Fact]
    public void Adds_and_lookups_taking_turns_do_not_pile_up_runs()
    {
        var rides = new UnkeyedRides(16);
        var ids = NewIds(10 * Run);
        for (var i = 0; i < ids.Count; i++)
        {
            rides.Add(ids[i], i + 1);
            Assert.Equal(i / 2 + 1, rides.RowOf(ids[i / 2])); // a replayed ride between every two new ones
        }

        Assert.InRange(rides.RunCount, 1, 10);
    }

    [Fact]
    public void Forgetting_drops_only_whole_runs_at_or_below_the_keyed_row()
    {
        var rides = new UnkeyedRides(64);
        var ids = NewIds(2 * Run + 10);
        AddRun(rides, ids, 0, Run);       // rows 1 to Run
        AddRun(rides, ids, Run, 2 * Run); // rows Run + 1 to 2 Run
        for (var i = 2 * Run; i < ids.Count; i++)
        {
            rides.Add(ids[i], i + 1);     // not sorted yet
        }

        rides.ForgetThrough(Run + Run / 2);
        Assert.Equal(Run + 10, rides.Count); // the second run straddles the keyed row and stays
        Assert.Equal(0, rides.RowOf(ids[3]));
        Assert.Equal(Run + 2, rides.RowOf(ids[Run + 1]));
        Assert.Equal(ids.Count, rides.RowOf(ids[^1]));

        rides.ForgetThrough(ids.Count);
        Assert.Equal(0, rides.Count);
        Assert.Equal(0, rides.RowOf(ids[^1]));

        rides.Add(ids[0], ids.Count + 1);
        Assert.Equal(ids.Count + 1, rides.RowOf(ids[0]));
    }

    [Fact]
    public void Without_lookups_the_keyed_entries_still_go()
    {
        var rides = new UnkeyedRides(8);
        var ids = NewIds(1_000);
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

    private static List<Guid> NewIds(int count) => [.. Enumerable.Range(0, count).Select(_ => Guid.NewGuid())];

    private static void AddRun(UnkeyedRides rides, List<Guid> ids, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            rides.Add(ids[i], i + 1);
        }

        Assert.Equal(to, rides.RowOf(ids[to - 1])); // closes the run
    }
}
