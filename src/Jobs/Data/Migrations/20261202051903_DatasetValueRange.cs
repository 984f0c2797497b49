using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeightShare.Jobs.Data.Migrations
{
    /// <inheritdoc />
    public partial class DatasetValueRange : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<float>(
                name: "ValueMax",
                table: "Datasets",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<float>(
                name: "ValueMin",
                table: "Datasets",
                type: "REAL",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ValueMax",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "ValueMin",
                table: "Datasets");
        }
    }
}
