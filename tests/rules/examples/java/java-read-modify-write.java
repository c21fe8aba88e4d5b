@Service
public class StockService {
    private final ItemRepository items;
    private final CouponMapper coupons;

    @Transactional
    public void reserve(long id, int qty) {
        Item item = items.findById(id).orElseThrow();
        if (item.getStock() < qty) {
            throw new OutOfStock(id);
        }
        // @Transactional alone still lets two requests read the same stock.
        // ruleid: java-read-modify-write
        item.setStock(item.getStock() - qty);
        items.save(item);
    }

    public void claim(long couponId) {
        Coupon coupon = coupons.selectByPrimaryKey(couponId);
        // ruleid: java-read-modify-write
        coupon.setCount(coupon.getCount() - 1);
        // ruleid: java-read-modify-write
        coupon.setReceived(coupon.getReceived() == null ? 1 : coupon.getReceived() + 1);
        coupons.updateByPrimaryKey(coupon);
    }

    public void credit(long accountId, BigDecimal amount) {
        Account account = accounts.findById(accountId).get();
        // ruleid: java-read-modify-write
        account.setBalance(account.getBalance().add(amount));
        accounts.saveAndFlush(account);
    }

    @Transactional
    public void reserveLocked(long id, int qty) {
        // A locking read: the second request waits for the first to commit.
        Item item = items.findByIdForUpdate(id);
        // ok: java-read-modify-write
        item.setStock(item.getStock() - qty);
        items.save(item);
    }

    public void reserveAtomically(long id, int qty) {
        Item item = items.findById(id).orElseThrow();
        // The row is changed by one UPDATE ... SET stock = stock - ? statement, not saved back.
        // ok: java-read-modify-write
        item.setStock(item.getStock() - qty);
        int changed = items.decrementStock(id, qty);
    }

    public void rename(long id, String name) {
        Item item = items.findById(id).orElseThrow();
        // A field set from the request, not from the value read: last write wins, nothing is lost.
        // ok: java-read-modify-write
        item.setName(name);
        items.save(item);
    }

    public Item copy(long id) {
        Item source = items.findById(id).orElseThrow();
        Item copy = new Item();
        // The new row is computed from another object, not written back over the one read.
        // ok: java-read-modify-write
        copy.setStock(source.getStock() + 0);
        return items.save(copy);
    }

    public synchronized void reserveOnOneNode(long id, int qty) {
        Item item = items.findById(id).orElseThrow();
        // ok: java-read-modify-write
        item.setStock(item.getStock() - qty);
        items.save(item);
    }
}
