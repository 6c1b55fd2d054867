package io.github.perfkit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.Types;
import org.junit.jupiter.api.Test;

class CapturedRowTest {

  @Test
  void primitivesAreKeptUnboxedWithTheirKindAndBoxAsTheirSetterWould() throws Exception {
    CapturedRow row = new CapturedRow(9);
    PreparedStatement ps = row.statement();
    ps.setLong(1, Long.MIN_VALUE);
    ps.setInt(2, -7);
    ps.setShort(3, (short) 300);
    ps.setByte(4, (byte) -1);
    ps.setBoolean(5, true);
    ps.setDouble(6, 0.1);
    ps.setFloat(7, 0.1f);
    ps.setNull(8, Types.VARCHAR);
    ps.setBigDecimal(9, new BigDecimal("1.50"));
    row.checkComplete();
    assertThat(row.kind(0)).isEqualTo(CapturedRow.LONG);
    assertThat(row.longAt(0)).isEqualTo(Long.MIN_VALUE);
    assertThat(row.kind(4)).isEqualTo(CapturedRow.BOOLEAN);
    assertThat(row.longAt(4)).isEqualTo(1);
    assertThat(row.kind(6)).isEqualTo(CapturedRow.FLOAT);
    assertThat((float) row.doubleAt(6)).isEqualTo(0.1f);
    assertThat(row.kind(7)).isEqualTo(CapturedRow.NULL);
    assertThat(row.kind(8)).isEqualTo(CapturedRow.OBJECT);
    assertThat(row.values()).containsExactly(Long.MIN_VALUE, -7, (short) 300, (byte) -1, true, 0.1,
        0.1f, null, new BigDecimal("1.50"));
  }

  @Test
  void aParameterNotSetAgainInTheNextRowIsReportedAndAKindCanChangeBetweenRows() throws Exception {
    CapturedRow row = new CapturedRow(2);
    row.statement().setLong(1, 1);
    row.statement().setString(2, "a");
    row.checkComplete();
    row.clear();
    row.statement().setObject(1, 5L); // a boxed Long through setObject stays an object
    assertThatThrownBy(row::checkComplete).hasMessageContaining("parameter 2");
    row.statement().setNull(2, Types.BIGINT);
    row.checkComplete();
    assertThat(row.kind(0)).isEqualTo(CapturedRow.OBJECT);
    assertThat(row.values()).containsExactly(5L, null);
    assertThatThrownBy(() -> row.statement().setLong(3, 1)).hasMessageContaining("index 3");
  }
}
