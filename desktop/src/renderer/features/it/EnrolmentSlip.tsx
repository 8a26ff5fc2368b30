/** The one-time code, shown once, on a slip IT prints and hands to whoever sets up the PC. */
import { Button, Descriptions, Modal, Typography } from 'antd';
import type { ItEnrolResponse } from '@sibantong/shared';

export function EnrolmentSlip({
  slip,
  unitName,
  hubUrl,
  onClose,
}: {
  slip: ItEnrolResponse;
  unitName: string;
  hubUrl: string;
  onClose: () => void;
}) {
  return (
    <Modal
      open
      title="设备登记单"
      onCancel={onClose}
      footer={[
        <Button key="print" onClick={() => window.print()}>
          打印登记单
        </Button>,
        <Button key="close" type="primary" onClick={onClose}>
          完成
        </Button>,
      ]}
    >
      <div data-testid="enrolment-slip">
        <SlipBody slip={slip} unitName={unitName} hubUrl={hubUrl} />
      </div>
      {/* The copy the print stylesheet shows alone on the page (styles.css). */}
      <div className="print-area">
        <SlipBody slip={slip} unitName={unitName} hubUrl={hubUrl} />
      </div>
    </Modal>
  );
}

function SlipBody({
  slip,
  unitName,
  hubUrl,
}: {
  slip: ItEnrolResponse;
  unitName: string;
  hubUrl: string;
}) {
  return (
    <>
      <Typography.Title level={4}>四办通设备登记单</Typography.Title>
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label="单位">
          {unitName}（{slip.orgUnitId}）
        </Descriptions.Item>
        <Descriptions.Item label="中心服务器地址">{hubUrl}</Descriptions.Item>
        <Descriptions.Item label="一次性登记码">
          <Typography.Text
            strong
            style={{ fontSize: 22, letterSpacing: 2 }}
            data-testid="enrol-code"
          >
            {slip.code}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="有效期至">
          {new Date(slip.expiresAt).toLocaleString('zh-CN')}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph style={{ marginTop: 12 }}>
        在新电脑上打开四办通，填写中心服务器地址、登记码和电脑名称后点“注册本设备”。登记码只能使用一次，
        此单不再显示，请妥善保管；过期未用请重新生成。
      </Typography.Paragraph>
    </>
  );
}
