using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeightShare.Jobs.Data.Migrations
{
    /// <inheritdoc />
    public partial class PairedLossIntervals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "TestLoss",
                table: "Solutions",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TestLossLower",
                table: "Solutions",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TestLossUpper",
                table: "Solutions",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ValidationLoss",
                table: "Solutions",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ValidationLossLower",
                table: "Solutions",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ValidationLossUpper",
                table: "Solutions",
                type: "REAL",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TestLoss",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "TestLossLower",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "TestLossUpper",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "ValidationLoss",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "ValidationLossLower",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "ValidationLossUpper",
                table: "Solutions");
        }
    }
}
