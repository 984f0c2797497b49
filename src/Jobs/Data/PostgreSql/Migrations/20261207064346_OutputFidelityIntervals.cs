using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeightShare.Jobs.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class OutputFidelityIntervals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "TestInterval",
                table: "Solutions",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TestIntervalLower",
                table: "Solutions",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TestIntervalUpper",
                table: "Solutions",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ValidationInterval",
                table: "Solutions",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ValidationIntervalLower",
                table: "Solutions",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ValidationIntervalUpper",
                table: "Solutions",
                type: "double precision",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TestInterval",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "TestIntervalLower",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "TestIntervalUpper",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "ValidationInterval",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "ValidationIntervalLower",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "ValidationIntervalUpper",
                table: "Solutions");
        }
    }
}
