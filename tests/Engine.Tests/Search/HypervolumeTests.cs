using WeightShare.Engine.Search;

namespace WeightShare.Engine.Tests.Search;

public class HypervolumeTests
{
    [Fact]
    public void Compute2D_SinglePoint_IsTheRectangleToTheReference()
    {
        var area = Hypervolume.Compute2D([(1.0, 1.0)], (3.0, 3.0));

        Assert.Equal(4.0, area, 12);
    }

    [Fact]
    public void Compute2D_Staircase_CountsTheUnionOnce()
    {
        // Unit cells of [1,4]x[1,4] dominated by one of the points: (1,3) (2,2) (2,3) (3,1) (3,2) (3,3) -> 6.
        var area = Hypervolume.Compute2D([(2.0, 2.0), (1.0, 3.0), (3.0, 1.0)], (4.0, 4.0));

        Assert.Equal(6.0, area, 12);
    }

    [Fact]
    public void Compute2D_DominatedAndDuplicatePoints_AddNothing()
    {
        var area = Hypervolume.Compute2D([(1.0, 3.0), (2.0, 2.0), (3.0, 1.0), (2.0, 2.0), (3.0, 3.0), (2.5, 2.5)], (4.0, 4.0));

        Assert.Equal(6.0, area, 12);
    }

    [Fact]
    public void Compute2D_PointsBeyondTheReference_ContributeNothing()
    {
        // (0.5, 5) is beyond r2, (5, 0.5) beyond r1, (4, 1) on the boundary; only (2, 2) counts: 2 x 2.
        var area = Hypervolume.Compute2D([(0.5, 5.0), (5.0, 0.5), (4.0, 1.0), (2.0, 2.0)], (4.0, 4.0));

        Assert.Equal(4.0, area, 12);
    }

    [Fact]
    public void Compute2D_NoPoints_IsZero()
    {
        var area = Hypervolume.Compute2D([], (1.0, 1.0));

        Assert.Equal(0.0, area);
    }

    [Fact]
    public void Compute2D_FractionalPoints_MatchHandComputation()
    {
        // Strips: (0.1, 0.5) -> 0.9 x 0.5 = 0.45; (0.4, 0.2) -> 0.6 x 0.3 = 0.18; total 0.63.
        var area = Hypervolume.Compute2D([(0.4, 0.2), (0.1, 0.5)], (1.0, 1.0));

        Assert.Equal(0.63, area, 12);
    }
}
