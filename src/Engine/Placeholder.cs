namespace WeightShare.Engine; internal static class Placeholder { }
